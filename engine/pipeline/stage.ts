import type { Result } from '../../common/errors.js';
import type { ModelCommand } from '../score/model-command.js';
import type { ModelCard } from '../../models/model-card.js';
import type { vigie } from '../../proto/gen/vigie.js';
import type { BodyCodec } from '../archive/index.js';

/** A batch as ingest hands it over: durably archived, not decoded yet. */
export interface ArchivedBatch {
  sensorId: string;
  /** The tenant the sensor is enrolled in (never what the batch claims). */
  tenant: string;
  seq: number;
  receivedMs: number;
  payload: Uint8Array;
  /**
   * Set when `payload` is the archive's compressed body (analysis reading the archive): the
   * analysis thread inflates it before decoding.
   */
  compressed?: BodyCodec;
}

/** A batch that the engine has archived durably and decoded, now going through the stages. */
export interface IngestedBatch {
  sensorId: string;
  tenant: string;
  seq: number;
  receivedMs: number;
  batch: vigie.v1.TelemetryBatch;
}

/**
 * One step of the engine after ingest (enrich, extract, score, match, store...). Stages take
 * arrays: a stage never sees one event at a time (STYLE.md §4). A stage's counters are plain
 * numbers read by the status line and /metrics.
 *
 * Lifecycle: build (constructor, synchronous, from plain options) -> start (async: open model
 * sessions...; the runner starts stages in list order before the first batch) -> process ->
 * flush (work a stage holds across calls, e.g. rows waiting for a micro-batch) -> close.
 */
export interface BatchStage {
  readonly name: string;
  start?(): void | Promise<void>;
  process(batches: readonly IngestedBatch[]): void | Promise<void>;
  counters(): Record<string, number>;
  /** What is not a number: loaded model versions... (status, not metrics). */
  info?(): Record<string, string>;
  /** Finishes work held across process() calls (teardown, tests); resolves when it is done. */
  flush?(): void | Promise<void>;
  close?(): void | Promise<void>;
}

/**
 * A stage that scores with models (the score stage): a new model is loaded beside the running
 * one and put in place only if it loads and fits; otherwise its typed error comes back and the
 * running one keeps scoring (STYLE.md §15).
 */
export interface ModelSwap {
  swapModel(source: string | Uint8Array, kind?: 'process' | 'network'): Promise<Result<ModelCard>>;
  /** Canary models that follow a rollout's rings (engine/score/model-command.ts). */
  modelCommand(c: ModelCommand): Promise<Result<ModelCard | undefined>>;
}

export function swapsModels(stage: BatchStage): stage is BatchStage & ModelSwap {
  return typeof (stage as Partial<ModelSwap>).swapModel === 'function';
}
