/** A RolloutService on a real SQLite file with a clock the test moves. */
import { join } from 'node:path';
import type { Result } from '../../../common/errors.js';
import type { HostReport } from '../../../rollout/controller/host-report.js';
import { ringPlanOf, RolloutService } from '../../../rollout/service/index.js';
import { signDocument } from '../../../rollout/trust/index.js';
import type { TrustFiles } from './fixtures.js';

export const RING0 = ['ring0-a', 'ring0-b'];

export function must<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

export interface Clock {
  now: number;
  read: () => number;
}

export function clock(): Clock {
  const c: Clock = { now: Date.now(), read: () => c.now };
  return c;
}

export function openService(dir: string, t: TrustFiles, c: Clock, name = 'rollout.db'): RolloutService {
  return must(RolloutService.open({
    db: join(dir, name), bundleDir: join(dir, 'bundles'), clock: c.read, sign: (d) => signDocument(d, t.directive),
    plan: must(ringPlanOf({ ring0Hosts: RING0, ringBakeMinutes: 30 })), intervalMs: 15_000, staleIntervals: 3,
  }));
}

export function report(host: string, version: string, atMs: number, extra: Partial<HostReport> = {}): HostReport {
  return {
    host, tenant: 'town-a', site: 'default', group: 'default', atMs, sensorVersion: '0.1.0', loaded: [{ kind: 'signatures', version }],
    crashes: [], contentCrashes: [], restarts: 0, contentErrors: [], reverts: [], cpuPercent: 2, rssBytes: 80 << 20, detections: 0, ...extra,
  };
}
