import type { ConfigOf, Schema } from '../common/config/schema.js';

/** The engine's configuration schema: the one source of its options, defaults and docs. */
export const engineConfigSchema = {
  varDir: { type: 'string', default: './var', doc: 'Directory for keys, the SQLite store and the archive' },
  endpoint: { type: 'string', default: 'tcp://127.0.0.1:7470', doc: 'ZeroMQ endpoint the ingest ROUTER binds (CURVE encrypted)' },
  maxFrameBytes: { type: 'integer', default: 16 * 1024 * 1024, min: 1024, max: 256 * 1024 * 1024, doc: 'Largest accepted payload; larger frames are rejected and counted' },
  maxPendingBatches: { type: 'integer', default: 512, min: 1, max: 100_000, doc: 'Batches waiting for the archive before ingest stops reading (backpressure)' },
  archiveSegmentBytes: { type: 'integer', default: 64 * 1024 * 1024, min: 64 * 1024, doc: 'Archive segment size before rotation' },
  archiveRetentionDays: { type: 'number', default: 30, min: 0.0001, doc: 'Days raw batches are kept in the archive' },
  archiveGroupCommitMs: { type: 'integer', default: 2, min: 0, max: 1000, doc: 'While records are still being compressed, how long a flush waits to gather them into one fdatasync' },
  archiveFsync: { type: 'boolean', default: true, doc: 'fdatasync archive writes before acking (turn off only for throwaway benchmarks)' },
  processTableHosts: { type: 'integer', default: 20_000, min: 1, doc: 'Hosts kept in the process table (LRU)' },
  processTablePerHost: { type: 'integer', default: 4096, min: 16, doc: 'Processes kept per host (LRU)' },
  analysisThreads: { type: 'integer', default: 2, min: 0, max: 64, doc: 'Threads that decode and run the analysis stages, sharded by sensor (0: on the ingest thread)' },
  analysisHighWater: { type: 'integer', default: 256, min: 1, max: 100_000, doc: 'Archived batches handed to analysis and not yet done; beyond it analysis falls behind and reads the archive later (ingest never waits for analysis)' },
  analysisNice: { type: 'integer', default: 10, min: 0, max: 19, doc: 'Nice value of the analysis threads (Linux): under a burst the cores go to ingest and acks first, analysis catches up from the archive (0: same priority as ingest)' },
  processModel: { type: 'string', default: 'default', doc: "Process-start anomaly model: an ONNX file, 'default' (models/default/process.onnx; when it is not built, a warning and no process scoring) or 'none'" },
  networkModel: { type: 'string', default: 'default', doc: "Network-window anomaly model: an ONNX file, 'default' (models/default/network.onnx; when it is not built, a warning and no network scoring) or 'none'" },
  scoreMaxRows: { type: 'integer', default: 4096, min: 1, max: 1_000_000, doc: 'Rows per model run (micro-batch size bound); when two batches are waiting, the analysis thread waits (backpressure)' },
  scoreMaxDelayMs: { type: 'integer', default: 5, min: 0, max: 60_000, doc: 'Longest a row waits for its micro-batch to fill before it is scored (latency bound)' },
  scoreWarmupEvents: { type: 'integer', default: 20_000, min: 0, max: 100_000_000, doc: 'Events the rarity counters learn from after a start before model detections are raised (counters start empty: everything looks rare at first); rows are scored meanwhile, detections counted as warmup_suppressed' },
  lineageDecay: { type: 'number', default: -1, min: -1, max: 0.999, doc: "Share of a parent process's score its children inherit, in [0, 1); -1: the process model card's training.lineageDecay, else 0.9" },
  heartbeatFlushMs: { type: 'integer', default: 1000, min: 10, doc: 'How often buffered heartbeats are written to the store' },
  alertWindowMinutes: { type: 'number', default: 30, min: 1, max: 1440, doc: "Detections of one host's process tree this close in time to an alert join it (see engine/triage)" },
  httpListen: { type: 'string', default: 'none', doc: "host:port of the HTTP API, web console and /metrics ('none': off; `vigie start` uses 127.0.0.1:7480)" },
} as const satisfies Schema;

export type EngineConfig = ConfigOf<typeof engineConfigSchema>;
