import type { vigie } from '../../proto/gen/vigie.js';

/** A batch as ingest hands it over: durably archived, not decoded yet. */
export interface ArchivedBatch {
  sensorId: string;
  /** The tenant the sensor is enrolled in (never what the batch claims). */
  tenant: string;
  seq: number;
  receivedMs: number;
  payload: Uint8Array;
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
 */
export interface BatchStage {
  readonly name: string;
  process(batches: readonly IngestedBatch[]): void | Promise<void>;
  counters(): Record<string, number>;
  close?(): void | Promise<void>;
}
