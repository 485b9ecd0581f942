/** Builds heartbeats: versions, uptime, CPU and memory of this process, spool depth, loss. */
import type { Heartbeat } from '../../common/events.js';

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
    contentFailures: sig.failures.map((f) => ({ ...f })),
    contentFailuresTotal: sig.failuresTotal,
    signatureHits: sig.hits,
    eventsUnmatched: sig.unmatched,
  };
}
