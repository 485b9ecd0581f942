/** The spool's public shapes. Kept apart from the class so the folder's modules share them without cycles. */

export interface SpoolOptions {
  /** One directory per sensor; created if missing. */
  dir: string;
  /** Bound on the bytes of all segment files on disk (default 64 MiB). */
  maxBytes?: number;
  /** Rotate the active segment before it would pass this (default 4 MiB; must be < maxBytes). */
  segmentBytes?: number;
  /** fdatasync after each append, and fsync the directory after each state write (default false). */
  fsync?: boolean;
}

export interface SpoolEntry {
  seq: number;
  events: number;
  payload: Uint8Array;
}

/**
 * Cumulative since the spool directory was created, persisted in spool.json. At every moment:
 *   appended = acked + dropped + unacked   (batches and events alike)
 * which is what lets the heartbeat report loss exactly.
 */
export interface SpoolCounters {
  appendedBatches: number;
  appendedEvents: number;
  /** Delivered: acknowledged by the engine. */
  ackedBatches: number;
  ackedEvents: number;
  /** Overflow (drop-oldest), explicit drop(), records lost to damage or a crash. */
  droppedBatches: number;
  droppedEvents: number;
  /** Damaged records (or damaged regions) found at recovery or when a payload was read back. */
  corruptRecords: number;
  /** Times the spool was opened on a directory that already held a spool. */
  restarts: number;
}

export interface SpoolStats {
  bytes: number;
  segments: number;
  unackedBatches: number;
  unackedEvents: number;
  /** Best-effort I/O failures survived since open (state write, unlink); not persisted. */
  ioErrors: number;
}

export function zeroCounters(): SpoolCounters {
  return {
    appendedBatches: 0, appendedEvents: 0, ackedBatches: 0, ackedEvents: 0,
    droppedBatches: 0, droppedEvents: 0, corruptRecords: 0, restarts: 0,
  };
}
