/**
 * The controller's configuration schema (`vigie controller`, and the all-in-one): the one source
 * of its options, defaults and docs (docs/CONFIG.md is generated from it).
 */
import { join } from 'node:path';
import type { ConfigOf, Schema } from '../../common/config/schema.js';
import { checkRingPlan, defaultRingPlan, type RingPlan } from '../rings/ring-plan.js';
import type { Result } from '../../common/errors.js';

export const DEFAULT_ROLLOUT_DB = 'var/rollout.db';
export const DEFAULT_BUNDLE_DIR = 'var/rollout/bundles';
export const DEFAULT_KEYS_DIR = 'var/rollout/keys';

export const controllerConfigSchema = {
  db: { type: 'string', default: DEFAULT_ROLLOUT_DB, doc: 'SQLite file (WAL) with the rollout state and the audit log' },
  bundleDir: { type: 'string', default: DEFAULT_BUNDLE_DIR, doc: 'Bundles registered by `vigie rollout install` and `create`, as SHA256.vbundle; the engine serves them to sensors from here' },
  keysDir: { type: 'string', default: DEFAULT_KEYS_DIR, doc: 'Directory holding the directive keys (directive-N.key) that sign directives' },
  intervalMs: { type: 'integer', default: 15_000, min: 100, max: 3_600_000, doc: "The sensors' heartbeat interval; the controller evaluates its gates once per interval" },
  staleIntervals: { type: 'integer', default: 3, min: 1, max: 1000, doc: 'A host is silent after this many intervals without a heartbeat' },
  warmupIntervals: { type: 'integer', default: 4, min: 0, max: 1000, doc: 'Intervals the controller listens after a start before its first gate evaluation (host health is rebuilt from heartbeats)' },
  directiveTtlHours: { type: 'number', default: 24, min: 0.01, max: 24 * 90, doc: 'Lifetime of a signed directive; re-signed when half of it has passed' },
  ring0Hosts: { type: 'string[]', default: [], doc: 'Sensor ids of ring 0 (the service\'s own machines); empty: ring 0 has no host and a release manager promotes past it' },
  ringBakeMinutes: { type: 'number', default: 60, min: 0, max: 7 * 24 * 60, doc: 'Bake time of every ring but the last' },
} as const satisfies Schema;

export type ControllerConfig = ConfigOf<typeof controllerConfigSchema>;

/** The controller's files under a var directory (`--var DIR`: DIR/rollout.db, DIR/rollout/...). */
export function controllerPathsIn(varDir: string): Pick<ControllerConfig, 'db' | 'bundleDir' | 'keysDir'> {
  return { db: join(varDir, 'rollout.db'), bundleDir: join(varDir, 'rollout', 'bundles'), keysDir: join(varDir, 'rollout', 'keys') };
}

/**
 * The default plan (ring 0, then 1%, 10%, 50%, everyone) with the configured ring-0 hosts and
 * bake. An empty ring 0 still needs one reporting host: with none it holds until promoted by hand.
 */
export function ringPlanOf(c: Pick<ControllerConfig, 'ring0Hosts' | 'ringBakeMinutes'>): Result<RingPlan> {
  const base = defaultRingPlan(c.ring0Hosts);
  const last = base.rings.length - 1;
  return checkRingPlan({
    rings: base.rings.map((r, i) => ({
      ...r,
      bakeMs: i === last ? r.bakeMs : c.ringBakeMinutes * 60_000,
      minReportingHosts: Math.max(1, r.minReportingHosts),
    })),
  });
}
