/**
 * Every host the controller has heard from, with its latest heartbeat, and running totals per
 * content version (exposure in host-hours, crashes, errors, reverts, restarts, detections)
 * built from the differences between a host's consecutive cumulative reports. A lost heartbeat
 * loses nothing: the next report carries the totals. All the time between two reports counts as
 * exposure of the version the host ran, however long: the counters that come back after a site's
 * outage (detections, crashes) happened during that time, and dividing them by a shorter time
 * would make a flood out of an outage.
 */
import type { ContentKind } from '../bundle/manifest.js';
import type { HostReport, VersionCount } from './host-report.js';

export interface HostRecord {
  id: string;
  tenant: string;
  site: string;
  group: string;
  lastAtMs: number;
  sensorVersion: string;
  /** Loaded version per kind ('' when none). */
  signatures: string;
  model: string;
  cpu: number;
  rss: number;
  restarts: number;
  detections: number;
  crashes: readonly VersionCount[];
  contentCrashes: readonly VersionCount[];
  contentErrors: readonly VersionCount[];
  reverts: readonly VersionCount[];
  /** When the controller first sent this host a directive naming a version, by "kind\0version". */
  sentAtMs: Map<string, number>;
  /** Totals of the loaded versions (kept so that a heartbeat costs no key building or lookup). */
  signaturesTotals: Totals | undefined;
  modelTotals: Totals | undefined;
}

export interface Totals {
  exposureMs: number;
  crashes: number;
  contentCrashes: number;
  contentErrors: number;
  reverts: number;
  restarts: number;
  detections: number;
  hosts: Set<string>;
}

export const versionKey = (kind: ContentKind, version: string): string => `${kind}\0${version}`;

const emptyTotals = (): Totals => ({ exposureMs: 0, crashes: 0, contentCrashes: 0, contentErrors: 0, reverts: 0, restarts: 0, detections: 0, hosts: new Set() });

export class HostTable {
  readonly hosts = new Map<string, HostRecord>();
  private readonly totals = new Map<string, Totals>();


  totalsOf(kind: ContentKind, version: string): Totals {
    const key = versionKey(kind, version);
    let t = this.totals.get(key);
    if (!t) this.totals.set(key, (t = emptyTotals()));
    return t;
  }

  ingest(r: HostReport): HostRecord {
    let h = this.hosts.get(r.host);
    const signatures = loadedOf(r, 'signatures');
    const model = loadedOf(r, 'model');
    if (!h) {
      h = {
        id: r.host, tenant: r.tenant, site: r.site, group: r.group, lastAtMs: r.atMs, sensorVersion: r.sensorVersion, signatures: '', model: '', cpu: r.cpuPercent, rss: r.rssBytes,
        restarts: r.restarts, detections: r.detections, crashes: r.crashes, contentCrashes: r.contentCrashes, contentErrors: r.contentErrors, reverts: r.reverts,
        sentAtMs: new Map(), signaturesTotals: undefined, modelTotals: undefined,
      };
      this.hosts.set(r.host, h);
      this.setLoaded(h, signatures, model);
      return h;
    }
    if (r.atMs < h.lastAtMs) return h; // late, out-of-order heartbeat: the newer one already counted
    const gap = r.atMs - h.lastAtMs;
    const restarts = r.restarts >= h.restarts ? r.restarts - h.restarts : r.restarts;
    const detections = r.detections >= h.detections ? r.detections - h.detections : r.detections;
    for (const t of [h.signaturesTotals, h.modelTotals]) {
      if (!t) continue;
      t.exposureMs += gap;
      t.restarts += restarts;
      t.detections += detections;
    }
    if (r.crashes !== h.crashes) this.addDeltas(h.crashes, r.crashes, 'crashes');
    if (r.contentCrashes !== h.contentCrashes) this.addDeltas(h.contentCrashes, r.contentCrashes, 'contentCrashes');
    if (r.contentErrors !== h.contentErrors) this.addDeltas(h.contentErrors, r.contentErrors, 'contentErrors');
    if (r.reverts !== h.reverts) this.addDeltas(h.reverts, r.reverts, 'reverts');
    h.lastAtMs = r.atMs;
    h.tenant = r.tenant;
    h.site = r.site;
    h.group = r.group;
    h.sensorVersion = r.sensorVersion;
    if (signatures !== h.signatures || model !== h.model) this.setLoaded(h, signatures, model);
    h.cpu = r.cpuPercent;
    h.rss = r.rssBytes;
    h.restarts = r.restarts;
    h.detections = r.detections;
    h.crashes = r.crashes;
    h.contentCrashes = r.contentCrashes;
    h.contentErrors = r.contentErrors;
    h.reverts = r.reverts;
    return h;
  }

  private setLoaded(h: HostRecord, signatures: string, model: string): void {
    h.signatures = signatures;
    h.model = model;
    h.signaturesTotals = signatures ? this.totalsOf('signatures', signatures) : undefined;
    h.modelTotals = model ? this.totalsOf('model', model) : undefined;
    h.signaturesTotals?.hosts.add(h.id);
    h.modelTotals?.hosts.add(h.id);
  }

  private addDeltas(before: readonly VersionCount[], after: readonly VersionCount[], field: 'crashes' | 'contentCrashes' | 'contentErrors' | 'reverts'): void {
    for (const c of after) {
      const prev = before.find((b) => b.kind === c.kind && b.version === c.version)?.count ?? 0;
      const delta = c.count >= prev ? c.count - prev : c.count; // a reset counter starts again from zero
      if (delta > 0) this.totalsOf(c.kind, c.version)[field] += delta;
    }
  }
}

function loadedOf(r: HostReport, kind: ContentKind): string {
  for (const l of r.loaded) if (l.kind === kind) return l.version;
  return '';
}

/** A copy of the counters, to subtract later (rollout baselines). */
export function snapshot(t: Totals): Omit<Totals, 'hosts'> & { hosts: number } {
  return { exposureMs: t.exposureMs, crashes: t.crashes, contentCrashes: t.contentCrashes, contentErrors: t.contentErrors, reverts: t.reverts, restarts: t.restarts, detections: t.detections, hosts: t.hosts.size };
}
