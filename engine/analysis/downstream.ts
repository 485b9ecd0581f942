import type { Result } from '../../common/errors.js';
import type { ModelCard } from '../../models/model-card.js';
import type { ModelCommand } from '../score/model-command.js';
import type { ArchivedBatch } from '../pipeline/stage.js';

/**
 * Where archived batches are analysed: the stage runner on this thread, or the analysis threads.
 * `full` and `waitForRoom()` tell the analysis feed (analysis-feed.ts) to stop handing batches
 * over and read them from the archive later.
 */
export interface Downstream {
  /** Starts the stages (loads models...); batches pushed before it resolves wait for it. */
  start(): Promise<void>;
  push(batch: ArchivedBatch): void;
  /**
   * How many of the batches pushed so far are done, counted from the first pushed: the first
   * `doneInOrder` are processed (or counted as dropped). What the feed may checkpoint as analysed.
   */
  readonly doneInOrder: number;
  readonly full: boolean;
  waitForRoom(): Promise<void>;
  /** Counters per stage (and the runner's own), as last known. */
  counters(): Record<string, Record<string, number>>;
  /** What is not a number, per stage (model versions), as last known. */
  info(): Record<string, Record<string, string>>;
  /**
   * Loads a model beside the running one in every analysis thread and swaps it in where it loads
   * and fits; otherwise the typed error, and the running model keeps scoring.
   */
  swapModel(source: string | Uint8Array, kind?: 'process' | 'network'): Promise<Result<ModelCard>>;
  /** Canary models for the hosts a model rollout has reached (engine/score/model-command.ts). */
  modelCommand(c: ModelCommand): Promise<Result<ModelCard | undefined>>;
  /** Resolves when everything pushed so far has been processed. */
  flush(): Promise<void>;
  close(): Promise<void>;
}
