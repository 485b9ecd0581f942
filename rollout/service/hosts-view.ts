/**
 * Per rollout, how many hosts the service hears on the new and on the previous version (hosts
 * heard within the stale window): for live rollouts, and for the latest of each kind (after a
 * halt, how many hosts still run the version rolled back). Saved at every tick, because
 * `vigie rollout status` runs in another process, which has no host table.
 */
import type { RolloutController } from '../controller/controller.js';
import { isLive } from '../controller/rollout.js';
import type { HostsView } from './state-store.js';

export function hostsViews(c: RolloutController, nowMs: number, staleMs: number): HostsView[] {
  const views: HostsView[] = [];
  const fresh = [...c.hosts.hosts.values()].filter((h) => nowMs - h.lastAtMs <= staleMs);
  const latest = new Map(c.all.map((r) => [r.kind, r]));
  for (const r of c.all) {
    if (!isLive(r) && r.state !== 'validated' && latest.get(r.kind) !== r) continue;
    let hostsNew = 0;
    let hostsOld = 0;
    for (const h of fresh) {
      const running = r.kind === 'signatures' ? h.signatures : h.model;
      if (running === r.version) hostsNew++;
      else if (running === r.previous) hostsOld++;
    }
    views.push({ rollout: r.id, atMs: nowMs, hostsNew, hostsOld, hostsHeard: fresh.length });
  }
  return views;
}
