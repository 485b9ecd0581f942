/** Builds heartbeats: versions, uptime, CPU and memory of this process, spool depth, loss. */
import type { Heartbeat } from '../../common/events.js';
import type { UpdaterReport } from '../updater/index.js';

export interface HeartbeatSource {
  sensorId: string;
  tenant: string;
  host: string;
  sensorVersion: string;
  contentVersion: string;
  collectorMode(): string;
  spool(): { bytes: number; batches: number };
  counters(): { collected: number; droppedEvents: number; droppedBatches: number; lastSeq: number; restarts: number };
  errors(): Map<string, number>;
  signatures(): {
    failures: readonly { kind: string; version: string; code: string; message: string; atMs: number; fallbackVersion: string }[];
    failuresTotal: number;
    hits: number;
    unmatched: number;
  };
  /** The content updater's report (rollout), when the agent has one. */
  content?(): UpdaterReport | undefined;
}

/** CPU percent of one core used by this process since the previous call. */
export class CpuMeter {
  private last = process.cpuUsage();
  private lastAt = process.hrtime.bigint();

  sample(): number {
    const now = process.hrtime.bigint();
    const usage = process.cpuUsage();
    const cpuUs = usage.user - this.last.user + usage.system - this.last.system;
    const wallUs = Number(now - this.lastAt) / 1000;
    this.last = usage;
    this.lastAt = now;
    return wallUs > 0 ? (100 * cpuUs) / wallUs : 0;
  }
}

export function buildHeartbeat(src: HeartbeatSource, startedMs: number, cpuPercent: number): Heartbeat {
  const now = Date.now();
  const c = src.counters();
  const spool = src.spool();
  const sig = src.signatures();
  const content = src.content?.();
  // The updater's failures (crashes, reverts, refused bundles) beside the pack's own, oldest first.
  const failures = content ? [...sig.failures, ...content.failures].sort((a, b) => a.atMs - b.atMs) : sig.failures;
  return {
    sensorId: src.sensorId,
    tenant: src.tenant,
    host: src.host,
    sensorVersion: src.sensorVersion,
    contentVersion: src.contentVersion,
    sentMs: now,
    uptimeS: (now - startedMs) / 1000,
    cpuPercent,
    rssBytes: process.memoryUsage.rss(),
    spoolBytes: spool.bytes,
    spoolBatches: spool.batches,
    eventsCollected: c.collected,
    eventsDropped: c.droppedEvents,
    batchesDropped: c.droppedBatches,
    errors: [...src.errors()].map(([code, count]) => ({ code, count })),
    collectorMode: src.collectorMode(),
    lastSeq: c.lastSeq,
    restarts: c.restarts,
    contentFailures: failures.map((f) => ({ ...f })),
    contentFailuresTotal: sig.failuresTotal,
    signatureHits: sig.hits,
    eventsUnmatched: sig.unmatched,
    detections: sig.hits,
    ...(content ? {
      content: content.loaded,
      lastKnownGood: content.lastKnownGood,
      directiveSerial: content.serial,
      crashesByVersion: content.crashes.map((c) => ({ ...c })),
      contentCrashesByVersion: content.contentCrashes.map((c) => ({ ...c })),
      revertsByVersion: content.reverts.map((c) => ({ ...c })),
      contentErrorsByVersion: content.contentErrors.map((c) => ({ ...c })),
    } : {}),
  };
}
