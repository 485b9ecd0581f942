/** Messages between the validator and its model worker (model-worker.ts). */
import type { VigieProblem } from '../../common/errors.js';

export type ModelSideName = 'candidate' | 'current';

export interface ModelWorkerData {
  candidate: { bytes: Uint8Array; file: string };
  current?: { bytes: Uint8Array; file: string };
  /** n * width values, row-major: the engine's feature rows of the corpus. */
  rows: Float32Array;
  n: number;
  width: number;
  /** Rows per score() call (one session.run each). */
  batchRows: number;
  /** Timing passes; each batch's time is its fastest pass. */
  rounds: number;
  /** Rows before this index warm the rarity counters up: scored and timed, not counted as detections. */
  countFrom: number;
}

export interface ModelSideResult {
  /** Sum over batches of the fastest score() time, ms. */
  ms: number;
  /** Rows from countFrom on whose score is above the card's threshold. */
  above: number;
  /** Rows whose score is NaN or infinite. */
  nonFinite: number;
  slowestBatchMs: number;
}

export type FromModelWorker =
  | { t: 'loaded'; side: ModelSideName }
  | { t: 'load-failed'; side: ModelSideName; problem: VigieProblem }
  | { t: 'progress'; done: number; total: number }
  | { t: 'failed'; side: ModelSideName; message: string }
  | { t: 'done'; candidate: ModelSideResult; current?: ModelSideResult };
