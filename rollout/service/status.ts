/**
 * What `vigie rollout status` shows: each rollout's state, the ring reached and how long it has
 * baked against its bake time, hosts on the new and the old version (as of the service's last
 * tick), and the latest gate results with their reasons; then the GA versions, tenant controls
 * and the ring plan.
 */
import type { ContentKind } from '../bundle/manifest.js';
import type { ControllerState } from '../controller/state.js';
import type { RolloutState } from '../controller/rollout.js';
import type { GateVerdict } from '../gates/gate.js';
import type { RingPlan } from '../rings/ring-plan.js';
import type { TenantControl } from '../rings/tenant-controls.js';
import type { HostsView, StateStore } from './state-store.js';

export interface RolloutStatus {
  id: string;
  kind: ContentKind;
  name: string;
  version: string;
  previous: string;
  state: RolloutState;
  /** Index of the ring reached (-1 before the start), its name, and how many rings there are. */
  ring: number;
  ringName: string;
  rings: number;
  /** Time in the current ring, and the ring's bake time, ms. */
  inRingMs: number;
  bakeMs: number;
  createdMs: number;
  haltedMs?: number;
  haltReason?: string;
  /** Hosts on the new and the previous version at the service's last tick; null before any tick. */
  hosts: Omit<HostsView, 'rollout'> | null;
  gates: { gate: string; verdict: GateVerdict; reason: string }[];
}

export interface StatusReport {
  atMs: number;
  rollouts: RolloutStatus[];
  ga: { kind: ContentKind; name: string; version: string; sha256: string; gaMs: number; history: string[] }[];
  tenants: TenantControl[];
  /** The service's last gate evaluation (null: no `vigie controller` has ticked on this store). */
  controller: { lastTickMs: number; hostsHeard: number } | null;
  plan: { name: string; hosts?: number; share?: number; bakeMs: number; minReportingHosts: number }[];
}

export function buildStatus(s: ControllerState, plan: RingPlan, store: StateStore, nowMs: number, id?: string): StatusReport {
  const views = new Map(store.hostsViews().map((v) => [v.rollout, v]));
  const rollouts = s.rollouts.filter((r) => id === undefined || r.id === id).map((r): RolloutStatus => {
    const spec = plan.rings[Math.max(0, r.ring)];
    const view = views.get(r.id);
    return {
      id: r.id, kind: r.kind, name: r.name, version: r.version, previous: r.previous, state: r.state,
      ring: r.ring, ringName: r.ring < 0 ? '-' : (spec?.name ?? '?'), rings: plan.rings.length,
      inRingMs: r.ring < 0 ? 0 : nowMs - r.ringSinceMs, bakeMs: r.ring < 0 ? 0 : (spec?.bakeMs ?? 0), createdMs: r.createdMs,
      ...(r.haltedMs !== undefined ? { haltedMs: r.haltedMs } : {}), ...(r.haltReason !== undefined ? { haltReason: r.haltReason } : {}),
      hosts: view ? { atMs: view.atMs, hostsNew: view.hostsNew, hostsOld: view.hostsOld, hostsHeard: view.hostsHeard } : null,
      gates: r.gates.map((g) => ({ gate: g.gate, verdict: g.verdict, reason: g.reason })),
    };
  });
  return {
    atMs: nowMs,
    rollouts,
    ga: s.ga.map((g) => {
      const top = g.history[g.history.length - 1]!;
      return { kind: g.kind, name: g.name, version: top.version, sha256: top.sha256, gaMs: top.gaMs, history: g.history.map((h) => h.version) };
    }),
    tenants: s.controls,
    controller: ((t) => (t ? { lastTickMs: t.atMs, hostsHeard: t.hostsHeard } : null))(store.lastTick()),
    plan: plan.rings.map((r) => ({
      name: r.name, ...(r.hosts ? { hosts: r.hosts.length } : {}), ...(r.share !== undefined ? { share: r.share } : {}), bakeMs: r.bakeMs, minReportingHosts: r.minReportingHosts,
    })),
  };
}

const minutes = (ms: number): string => (ms < 3_600_000 ? `${Math.round(ms / 60_000)}m` : `${(ms / 3_600_000).toFixed(1)}h`);

/** The text form, one block per rollout. */
export function renderStatus(r: StatusReport): string {
  const lines: string[] = [];
  for (const x of r.rollouts) {
    const where = x.ring < 0 ? 'not started' : `ring ${x.ring + 1} of ${x.rings} (${x.ringName}), ${minutes(x.inRingMs)} of ${minutes(x.bakeMs)} bake`;
    lines.push(`${x.id}  ${x.kind} ${x.name} ${x.version} (from ${x.previous}): ${x.state}, ${where}`);
    if (x.haltReason !== undefined) lines.push(`    halted: ${x.haltReason}`);
    lines.push(x.hosts
      ? `    hosts: ${x.hosts.hostsNew} on ${x.version}, ${x.hosts.hostsOld} on ${x.previous}, ${x.hosts.hostsHeard} heard (controller tick ${Math.round((r.atMs - x.hosts.atMs) / 1000)} s ago)`
      : '    hosts: unknown (no controller tick recorded for this rollout)');
    for (const g of x.gates) lines.push(`    ${g.verdict.padEnd(12)} ${g.gate}: ${g.reason}`);
  }
  if (r.rollouts.length === 0) lines.push('no rollout');
  for (const g of r.ga) lines.push(`GA ${g.kind} ${g.name} ${g.version} (history ${g.history.join(' -> ')})`);
  if (r.ga.length === 0) lines.push('GA: nothing installed (vigie rollout install BUNDLE)');
  for (const t of r.tenants) lines.push(`tenant ${t.tenant}: ${describeControl(t)}`);
  lines.push(r.controller ? `controller: last tick ${Math.round((r.atMs - r.controller.lastTickMs) / 1000)} s ago, ${r.controller.hostsHeard} hosts heard` : 'controller: never ticked on this store (vigie controller)');
  return `${lines.join('\n')}\n`;
}

export function describeControl(t: TenantControl): string {
  const parts = [
    ...Object.entries(t.pin ?? {}).map(([k, v]) => `pin ${k} ${v}`),
    ...(t.paused ? ['paused'] : []),
    ...(t.delayHours ? [`${t.delayHours} h behind GA`] : []),
    ...(t.oneBehind ? ['one version behind'] : []),
  ];
  return parts.length > 0 ? parts.join(', ') : 'follows the rollout';
}
