/**
 * A decoded sensor heartbeat (vigie.v1.Heartbeat, as engine/ingest decodes it) plus the host's
 * labels, as the controller's HostReport. Counters stay cumulative (the host table works on
 * differences). `atMs` is when the engine received the heartbeat, not the sensor's clock: the
 * controller compares it with its own clock to find silent hosts, and a sensor's skewed clock
 * must not make it look silent or from the future.
 */
import type { vigie } from '../../proto/gen/vigie.js';
import type { ContentKind } from '../bundle/manifest.js';
import type { HostReport, VersionCount } from '../controller/host-report.js';

/** Enrolment labels of a host; absent ones are 'default'. */
export interface HostLabels {
  /** Site (building, town hall...): a site's network outage is not blamed on an update. */
  site?: string;
  /** Hardware and OS group: CPU and RSS are compared within a group. */
  group?: string;
}

export const DEFAULT_LABEL = 'default';

const isKind = (k: unknown): k is ContentKind => k === 'signatures' || k === 'model';

export function heartbeatToReport(sensorId: string, tenant: string, hb: vigie.v1.IHeartbeat, labels: HostLabels | undefined, atMs: number): HostReport {
  const loaded: HostReport['loaded'] = [];
  for (const c of hb.content ?? []) if (isKind(c.kind) && c.version) loaded.push({ kind: c.kind, version: c.version });
  // A sensor without the content updater reports only the pack it was started with.
  if (!loaded.some((l) => l.kind === 'signatures') && hb.contentVersion) loaded.push({ kind: 'signatures', version: hb.contentVersion });
  return {
    host: sensorId,
    tenant,
    site: labels?.site || DEFAULT_LABEL,
    group: labels?.group || DEFAULT_LABEL,
    atMs,
    sensorVersion: hb.sensorVersion ?? '',
    loaded,
    crashes: counts(hb.crashesByVersion),
    contentCrashes: counts(hb.contentCrashesByVersion),
    restarts: num(hb.restarts),
    contentErrors: counts(hb.contentErrorsByVersion),
    reverts: counts(hb.revertsByVersion),
    cpuPercent: Number.isFinite(hb.cpuPercent) ? Number(hb.cpuPercent) : 0,
    rssBytes: num(hb.rssBytes),
    // Sensors from before the detections field report signature hits only.
    detections: num(hb.detections) || num(hb.signatureHits),
  };
}

function counts(list: readonly vigie.v1.IContentCount[] | null | undefined): VersionCount[] {
  const out: VersionCount[] = [];
  for (const c of list ?? []) if (isKind(c.kind) && c.version) out.push({ kind: c.kind, version: c.version, count: num(c.count) });
  return out;
}

/** uint64 fields decode as numbers here; a Long (other protobufjs builds) converts too. */
function num(v: number | { toNumber(): number } | null | undefined): number {
  if (v === null || v === undefined) return 0;
  const n = typeof v === 'number' ? v : v.toNumber();
  return Number.isFinite(n) && n >= 0 ? n : 0;
}
