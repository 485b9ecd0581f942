/**
 * Prometheus text exposition (version 0.0.4) for /metrics: ingest, analysis stages (scoring),
 * detections, drops and the store. Numbers are read from the engine's plain counters at scrape
 * time, never kept per event (STYLE.md §4). Only fleet-wide totals: no tenant or host label, so the
 * unauthenticated endpoint reveals nothing a tenant could not be shown.
 */
import { statSync } from 'node:fs';
import type { EngineStatus } from '../engine.js';
import { ALL_TENANTS, type SqliteStore } from '../store/index.js';
import { fleetSummary } from './fleet-summary.js';

export interface Metric {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  samples: { labels?: Record<string, string>; value: number }[];
}

export type MetricsSource = () => Metric[];

const one = (name: string, type: Metric['type'], help: string, value: number): Metric => ({ name, type, help, samples: [{ value }] });
const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

export function renderMetrics(metrics: readonly Metric[]): string {
  const lines: string[] = [];
  for (const m of metrics) {
    lines.push(`# HELP ${m.name} ${m.help}`, `# TYPE ${m.name} ${m.type}`);
    for (const s of m.samples) {
      const labels = s.labels && Object.keys(s.labels).length
        ? `{${Object.entries(s.labels).map(([k, v]) => `${k}="${escape(v)}"`).join(',')}}` : '';
      lines.push(`${m.name}${labels} ${Number.isFinite(s.value) ? s.value : 0}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The engine's counters: ingest, authentication, archive, stages (score...), detections. */
export function engineMetrics(s: EngineStatus): Metric[] {
  const stageSamples = Object.entries(s.stages).flatMap(([stage, c]) => Object.entries(c).map(([counter, value]) => ({ labels: { stage, counter }, value })));
  return [
    one('vigie_ingest_frames_total', 'counter', 'Frames received by ingest', s.ingest.frames),
    one('vigie_ingest_batches_total', 'counter', 'Telemetry batches received', s.ingest.batches),
    one('vigie_ingest_events_total', 'counter', 'Events received', s.ingest.events),
    one('vigie_ingest_stored_events_total', 'counter', 'Events archived and acked', s.ingest.storedEvents),
    one('vigie_ingest_duplicates_total', 'counter', 'Batches answered as duplicates (re-sends)', s.ingest.duplicates),
    one('vigie_ingest_heartbeats_total', 'counter', 'Heartbeats received', s.ingest.heartbeats),
    { name: 'vigie_ingest_rejected_total', type: 'counter', help: 'Frames rejected, by error code', samples: Object.entries(s.ingest.rejected).map(([code, n]) => ({ labels: { code }, value: n ?? 0 })) },
    one('vigie_ingest_backpressure_pauses_total', 'counter', 'Times ingest stopped reading because the archive was behind', s.ingest.backpressurePauses),
    one('vigie_ingest_pending_batches', 'gauge', 'Batches waiting for the archive', s.pendingBatches),
    one('vigie_auth_admitted_total', 'counter', 'Sensor connections admitted by ZAP', s.auth.admitted),
    { name: 'vigie_auth_refused_total', type: 'counter', help: 'Sensor connections refused, by error code', samples: Object.entries(s.auth.refused).map(([code, n]) => ({ labels: { code }, value: n ?? 0 })) },
    one('vigie_archive_bytes', 'gauge', 'Bytes in the raw-batch archive', s.archive.bytes),
    one('vigie_archive_rejected_full_total', 'counter', 'Appends refused because the archive queue was full (re-sent later)', s.archive.rejectedFull),
    one('vigie_analysis_behind', 'gauge', '1 while analysis reads the archive because its threads were full (engine/analysis/analysis-feed.ts)', s.analysis.behind),
    one('vigie_analysis_lag_bytes', 'gauge', 'Archive bytes stored after the place analysis has reached', s.analysis.lag_bytes),
    one('vigie_analysis_lag_seconds', 'gauge', 'Age of the newest batch handed to analysis, while behind', s.analysis.lag_seconds),
    one('vigie_analysis_replayed_batches_total', 'counter', 'Batches analysis read from the archive (it was behind, or resumed after a restart)', s.analysis.replayed_batches),
    { name: 'vigie_stage_counter', type: 'counter', help: 'Analysis stage counters (enrich, signature_hits, score: rows scored, detections, drops...)', samples: stageSamples },
    one('vigie_detections_stored_total', 'counter', 'Detections written to the store', s.detections.stored),
    one('vigie_detections_lost_total', 'counter', 'Detections a store error lost (still derivable from the archive)', s.detections.lost),
    one('vigie_detections_suppressed_total', 'counter', 'Detections an exception kept from raising an alert', s.triage.suppressed),
    one('vigie_alerts_created_total', 'counter', 'Alerts opened by grouping', s.triage.alerts_created),
    one('vigie_alerts_grown_total', 'counter', 'Detections grouped into an existing alert', s.triage.alerts_grown),
  ];
}

/** The store: alerts by state, detections, active exceptions, the file's size. */
export function storeMetrics(store: SqliteStore, file: string | undefined, nowMs: number, onlineWithinMs: number): Metric[] {
  const states = store.alerts.stateCounts();
  const fleet = fleetSummary(store.hosts.list(ALL_TENANTS), [], nowMs, onlineWithinMs);
  const sum = (k: 'sensors' | 'online' | 'spoolBytes' | 'eventsDropped' | 'batchesDropped' | 'contentFailures') => fleet.reduce((a, t) => a + t[k], 0);
  let bytes = 0;
  if (file) for (const f of [file, `${file}-wal`]) { try { bytes += statSync(f).size; } catch { /* not there yet */ } }
  return [
    { name: 'vigie_alerts', type: 'gauge', help: 'Alerts in the store, by triage state', samples: Object.entries(states).map(([state, n]) => ({ labels: { state }, value: n })) },
    one('vigie_store_detections', 'gauge', 'Detections in the store', store.detections.count()),
    one('vigie_exceptions_active', 'gauge', 'Exceptions neither revoked nor expired', store.exceptions.active(nowMs).length),
    one('vigie_store_bytes', 'gauge', 'Size of the SQLite store and its WAL', bytes),
    one('vigie_sensors', 'gauge', 'Enrolled sensors (not revoked)', sum('sensors')),
    one('vigie_sensors_online', 'gauge', 'Sensors heard from recently', sum('online')),
    one('vigie_sensor_spool_bytes', 'gauge', 'Bytes waiting in sensor spools, as last reported', sum('spoolBytes')),
    one('vigie_sensor_events_dropped', 'gauge', 'Events sensors report they dropped (sum of their counters)', sum('eventsDropped')),
    one('vigie_sensor_batches_dropped', 'gauge', 'Batches sensors report their spool dropped', sum('batchesDropped')),
    one('vigie_sensor_content_failures', 'gauge', 'Content (signature pack) failures sensors reported', sum('contentFailures')),
  ];
}
