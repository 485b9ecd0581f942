import type { ConfigOf, Schema } from '../../common/config/schema.js';

/** The sensor agent's configuration schema: the one source of its options, defaults and docs. */
export const sensorConfigSchema = {
  batchMaxEvents: { type: 'integer', default: 500, min: 1, max: 100_000, doc: 'Most events in one frame' },
  batchMaxMs: { type: 'integer', default: 1000, min: 1, max: 60_000, doc: 'Longest an event waits before its frame is sent' },
  spoolMaxBytes: { type: 'integer', default: 64 * 1024 * 1024, min: 64 * 1024, doc: 'Bound on the on-disk spool; overflow drops the oldest segment, counted' },
  spoolSegmentBytes: { type: 'integer', default: 4 * 1024 * 1024, min: 16 * 1024, doc: 'Spool segment size before rotation' },
  spoolFsync: { type: 'boolean', default: false, doc: 'fdatasync each spool append' },
  maxInFlight: { type: 'integer', default: 16, min: 1, max: 10_000, doc: 'Frames sent but not yet acked' },
  ackTimeoutMs: { type: 'integer', default: 5000, min: 50, doc: 'Without an ack for this long, unacked frames are sent again' },
  heartbeatMs: { type: 'integer', default: 10_000, min: 50, doc: 'Heartbeat interval' },
  reconnectMinMs: { type: 'integer', default: 100, min: 10, doc: 'First reconnect delay; doubles up to reconnectMaxMs' },
  reconnectMaxMs: { type: 'integer', default: 10_000, min: 10, doc: 'Longest reconnect delay' },
  sendTimeoutMs: { type: 'integer', default: 1000, min: 10, doc: 'A send that cannot be queued for this long waits for the next retry' },
  signatureBudgetMs: { type: 'integer', default: 1000, min: 10, max: 60_000, doc: 'Time budget of the signature pack per frame; a pack that blows it is unloaded (last-known-good pack takes over)' },
  signatureMemoryMb: { type: 'integer', default: 128, min: 16, max: 4096, doc: 'Heap limit of the signature worker thread; a pack that exceeds it is unloaded' },
} as const satisfies Schema;

export type SensorConfig = ConfigOf<typeof sensorConfigSchema>;
