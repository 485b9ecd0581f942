/**
 * A change to one tenant's controls, as `vigie rollout pin|tenant` asks for it, applied to the
 * control the tenant has now. A pinned version must be one the controller knows (installed or
 * rolled out and not rolled back): a pin to an unknown version would leave the tenant on what
 * it runs, silently.
 */
import { VigieError } from '../../common/errors.js';
import type { ContentKind } from '../bundle/manifest.js';
import type { ControllerState } from '../controller/state.js';
import type { TenantControl } from '../rings/tenant-controls.js';

export interface TenantChange {
  /** Pin `version` of `kind`, or unpin the kind (version undefined). */
  pin?: { kind: ContentKind; version: string | undefined };
  paused?: boolean;
  /** 0 removes the delay. */
  delayHours?: number;
  oneBehind?: boolean;
}

export function applyTenantChange(current: TenantControl, change: TenantChange, s: ControllerState): TenantControl {
  const next: TenantControl = structuredClone(current);
  if (change.pin) {
    const { kind, version } = change.pin;
    const pin = { ...next.pin };
    if (version === undefined) delete pin[kind];
    else {
      const known = s.ga.some((g) => g.kind === kind && g.history.some((h) => h.version === version))
        || s.rollouts.some((r) => r.kind === kind && r.version === version && r.state !== 'rolled_back');
      if (!known) throw new VigieError('VIGIE_ROLLOUT_NOT_FOUND', `no ${kind} version ${version} is installed or rolling out (rolled-back versions cannot be pinned)`, { field: 'version' });
      pin[kind] = version;
    }
    if (Object.keys(pin).length > 0) next.pin = pin;
    else delete next.pin;
  }
  if (change.paused !== undefined) {
    if (change.paused) next.paused = true;
    else delete next.paused;
  }
  if (change.delayHours !== undefined) {
    if (change.delayHours > 0) next.delayHours = change.delayHours;
    else delete next.delayHours;
  }
  if (change.oneBehind !== undefined) {
    if (change.oneBehind) next.oneBehind = true;
    else delete next.oneBehind;
  }
  return next;
}
