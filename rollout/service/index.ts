/**
 * rollout/service: the rollout controller as a service. Its state in SQLite beside the audit log
 * (RolloutService), the CLI's actions on it, heartbeats in and directives out through the
 * engine's rollout link (ControllerLink), and the ticking loop (ControllerRunner).
 */
export { RolloutService, type BundleAction, type RolloutServiceOptions } from './rollout-service.js';
export { StateStore, type BundleRecord, type HostsView } from './state-store.js';
export { admit, type Admission, type AdmissionSummary } from './admission.js';
export { checkAgainstState, loadTrust, readBundle, storeBundle, type IncomingBundle } from './bundle-intake.js';
export { applyTenantChange, type TenantChange } from './tenant-change.js';
export { buildStatus, describeControl, renderStatus, type RolloutStatus, type StatusReport } from './status.js';
export { heartbeatToReport, DEFAULT_LABEL, type HostLabels } from './heartbeat-report.js';
export { ControllerLink, type ControllerLinkOptions } from './controller-link.js';
export { ControllerRunner, type RunnerOptions } from './controller-runner.js';
export {
  controllerConfigSchema, controllerPathsIn, ringPlanOf, DEFAULT_BUNDLE_DIR, DEFAULT_KEYS_DIR, DEFAULT_ROLLOUT_DB, type ControllerConfig,
} from './config.js';
