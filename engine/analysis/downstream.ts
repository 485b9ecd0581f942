import type { ArchivedBatch } from '../pipeline/stage.js';

/**
 * Where ingest hands archived batches: the stage runner on this thread, or the analysis thread.
 * `full` and `waitForRoom()` carry backpressure back to ingest.
 */
export interface Downstream {
  push(batch: ArchivedBatch): void;
  readonly full: boolean;
  waitForRoom(): Promise<void>;
  /** Counters per stage (and the runner's own), as last known. */
  counters(): Record<string, Record<string, number>>;
  /** Resolves when everything pushed so far has been processed. */
  flush(): Promise<void>;
  close(): Promise<void>;
}
