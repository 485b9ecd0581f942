/**
 * Models run at the engine, not on sensors, so a model rollout moves no bundle to hosts: the
 * engine scores each host's rows with the model version the host's ring has reached. For each
 * model line (one per model name: process, network) this says which version is stable and, while
 * a rollout of the line is live, which hosts the canary scores. Tenants under a control (paused,
 * delayed, pinned, one behind) stay on the stable model: the engine holds two versions of a
 * model at most, the stable one and the canary.
 */
import type { GaVersion, TenantControl } from '../rings/tenant-controls.js';
import type { RingMembership } from '../rings/ring-plan.js';
import type { HostRecord } from './host-table.js';
import { isLive, type Rollout } from './rollout.js';

export interface ModelRoute {
  /** Model name (the bundle's name, the model card's name). */
  name: string;
  stable: { version: string; sha256: string } | undefined;
  canary: { version: string; sha256: string; rollout: string; hosts: string[] } | undefined;
}

export interface ModelLineView {
  name: string;
  history: readonly GaVersion[];
}

export function modelRoutes(
  lines: Iterable<ModelLineView>,
  rollouts: readonly Rollout[],
  hosts: Iterable<HostRecord>,
  membership: RingMembership,
  control: (tenant: string) => TenantControl | undefined,
): ModelRoute[] {
  const hostList = [...hosts];
  const out: ModelRoute[] = [];
  for (const line of lines) {
    const s = line.history[line.history.length - 1];
    const live = rollouts.find((r) => r.kind === 'model' && r.name === line.name && isLive(r));
    const canary = live
      ? { version: live.version, sha256: live.sha256, rollout: live.id, hosts: hostList.filter((h) => onCanary(h, live, membership, control)).map((h) => h.id).sort() }
      : undefined;
    out.push({ name: line.name, stable: s ? { version: s.version, sha256: s.sha256 } : undefined, canary });
  }
  return out;
}

export function onCanary(h: HostRecord, live: Rollout, membership: RingMembership, control: (tenant: string) => TenantControl | undefined): boolean {
  return control(h.tenant) === undefined && membership.ringOf(h.id) <= live.ring;
}
