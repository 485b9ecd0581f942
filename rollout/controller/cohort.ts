/**
 * Builds what the gates see (gates/cohort-view.ts) for one rollout from the host table: totals
 * since the rollout started, the latest CPU and RSS of hosts that reported recently by hardware
 * and OS group, and silent hosts by site.
 */
import type { ContentKind } from '../bundle/manifest.js';
import type { CohortView, GroupMoments, HeartbeatTally, VersionTotals } from '../gates/cohort-view.js';
import { Moments } from '../gates/stats.js';
import { snapshot, versionKey, type HostTable, type Totals } from './host-table.js';

export type Baseline = ReturnType<typeof snapshot>;

export interface CohortSubject {
  kind: ContentKind;
  version: string;
  previous: string;
  baselineNew: Baseline;
  baselineOld: Baseline;
}

const HOUR = 3_600_000;
/** A site is in outage when at least this share of its old-version hosts are silent. */
const OUTAGE_SHARE = 0.5;
const MIB = 1024 * 1024;

export function buildCohortView(table: HostTable, s: CohortSubject, nowMs: number, intervalMs: number, staleMs: number): CohortView {
  const cpu = new Map<string, GroupMoments>();
  const rss = new Map<string, GroupMoments>();
  const sites = new Map<string, { newHosts: number; newMissing: number; oldHosts: number; oldMissing: number }>();
  const sentKey = versionKey(s.kind, s.version);
  let reportingNew = 0;
  for (const h of table.hosts.values()) {
    const running = s.kind === 'signatures' ? h.signatures : h.model;
    const fresh = nowMs - h.lastAtMs <= staleMs;
    const isNew = running === s.version;
    if (fresh && (isNew || running === s.previous)) {
      moments(cpu, h.group)[isNew ? 'fresh' : 'old'].add(h.cpu);
      moments(rss, h.group)[isNew ? 'fresh' : 'old'].add(h.rss / MIB);
      if (isNew) reportingNew++;
    }
    // For silence, a host counts as "new" from the moment it was sent the version: a host that
    // dies while loading it never reports running it.
    const sent = isNew || h.sentAtMs.has(sentKey);
    let site = sites.get(h.site);
    if (!site) sites.set(h.site, (site = { newHosts: 0, newMissing: 0, oldHosts: 0, oldMissing: 0 }));
    if (sent) {
      site.newHosts++;
      if (!fresh) site.newMissing++;
    } else {
      site.oldHosts++;
      if (!fresh) site.oldMissing++;
    }
  }
  const heartbeats: HeartbeatTally = { newHosts: 0, newMissing: 0, oldHosts: 0, oldMissing: 0, sitesInOutage: 0 };
  for (const site of sites.values()) {
    if (site.oldHosts > 0 && site.oldMissing / site.oldHosts >= OUTAGE_SHARE) {
      heartbeats.sitesInOutage++;
      continue;
    }
    heartbeats.newHosts += site.newHosts;
    heartbeats.newMissing += site.newMissing;
    heartbeats.oldHosts += site.oldHosts;
    heartbeats.oldMissing += site.oldMissing;
  }
  return {
    nowMs,
    intervalMs,
    newVersion: since(table.totalsOf(s.kind, s.version), s.baselineNew),
    oldVersion: since(table.totalsOf(s.kind, s.previous), s.baselineOld),
    reportingNew,
    cpu: [...cpu.values()],
    rss: [...rss.values()],
    heartbeats,
  };
}

function moments(m: Map<string, GroupMoments>, group: string): GroupMoments {
  let g = m.get(group);
  if (!g) m.set(group, (g = { group, fresh: new Moments(), old: new Moments() }));
  return g;
}

function since(t: Totals, b: Baseline): VersionTotals {
  return {
    exposureHours: (t.exposureMs - b.exposureMs) / HOUR,
    crashes: t.crashes - b.crashes,
    contentCrashes: t.contentCrashes - b.contentCrashes,
    contentErrors: t.contentErrors - b.contentErrors,
    reverts: t.reverts - b.reverts,
    restarts: t.restarts - b.restarts,
    detections: t.detections - b.detections,
    hosts: t.hosts.size,
  };
}
