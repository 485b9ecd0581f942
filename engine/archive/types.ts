/** The archive's public types. */
import type { VigieProblem } from '../../common/errors.js';
import type { RecordSpan } from './position.js';
import type { BodyCodec } from './window.js';

export interface ArchiveOptions {
  dir: string;
  /** Rotate to a new segment once the active one reaches this compressed size (default 64 MiB). */
  segmentBytes?: number;
  /** Sealed segments whose newest record is older than this are deleted by sweep() (default 30 days). */
  retentionMs?: number;
  /** Gather appends for at most this long before one write + fdatasync (default 2 ms; 0 = as soon
   *  as the previous flush ends). */
  groupCommitMs?: number;
  /** fdatasync each flush (default true). Without it "durable" means "in the OS page cache". */
  fsync?: boolean;
  /** Brotli quality, 0..11 (default 0: the archive is write-mostly, and 0 already compresses ~6.5x). */
  compressionLevel?: number;
  /** Bound of the write queue in raw payload bytes (default 256 MiB). Overflow policy: reject the
   *  append with VIGIE_ARCHIVE_FULL (the batch is not acked, the sensor keeps it and re-sends). */
  maxPendingBytes?: number;
  /** Test seam: called before each write, fdatasync and truncate of a flush; throwing simulates
   *  that operation failing. Never set in production. */
  faultHook?: (op: 'write' | 'sync' | 'truncate') => void;
}

/** What the engine knows about a batch besides its bytes. */
export interface BatchMeta {
  sensorId: string;
  tenant: string;
  /** The sensor's batch sequence number: monotonic over the sensor's life. */
  seq: number;
  /** The sensor's oldest unacknowledged seq when it sent this batch: it promises never to send
   *  anything below it again. */
  firstUnackedSeq: number;
  events: number;
  receivedMs: number;
}

export type AppendOutcome = 'stored' | 'duplicate';

/** What append() resolves to: a stored record says where it lies (for readers that follow the archive). */
export type Appended = { outcome: 'stored'; at: RecordSpan } | { outcome: 'duplicate' };

export interface ArchiveRecord {
  meta: BatchMeta;
  payload: Uint8Array;
}

/** A record as storedRecordsFrom() yields it: its body as stored (compressed), and its place. */
export interface StoredRecord {
  meta: BatchMeta;
  body: Uint8Array;
  codec: BodyCodec;
  at: RecordSpan;
}

/** A record as recordsFrom() yields it: with its place in the archive. */
export interface PositionedRecord extends ArchiveRecord {
  at: RecordSpan;
}

export interface ArchiveStats {
  segments: number;
  /** Bytes in durable records across all segments (compressed, with headers). */
  bytes: number;
  /** Durable records and their events, across all segments still on disk. */
  records: number;
  events: number;
  /** Appends accepted and not yet durable (queued, compressing or being written). */
  pendingWrites: number;
  /** Appends answered 'duplicate' since open. */
  duplicates: number;
  /** Appends rejected because the write queue was full (VIGIE_ARCHIVE_FULL) since open. */
  rejectedFull: number;
  /** Write + fdatasync rounds since open (records / flushes = the group-commit factor). */
  flushes: number;
  /** Sensors and (sensor, seq) keys held by the dedup index. */
  dedupSensors: number;
  dedupKeys: number;
}

/** What open() found and repaired. */
export interface RecoveryReport {
  segments: number;
  /** Segments whose sidecar index was used instead of a scan. */
  fromSidecar: number;
  /** Bytes cut from the tail of the last segment (a write torn by a crash: never acked). */
  truncatedBytes: number;
  /** Damage found in sealed segments (left in place, skipped by records()). */
  damagedRecords: number;
  /** One VIGIE_ARCHIVE_CORRUPT problem per truncation or damaged range, with file and offset. */
  problems: VigieProblem[];
  durationMs: number;
}
