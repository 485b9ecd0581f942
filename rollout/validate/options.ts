/**
 * Validation options and their defaults. The runtime limits default to the sensor's own settings
 * (frame size, per-frame budget, worker heap) and the engine's (rows per model run), so a pack is tried under the conditions it will
 * meet on hosts, not looser ones.
 */
import { engineConfigSchema } from '../../engine/config.js';
import { sensorConfigSchema } from '../../sensors/agent/config.js';

export interface Thresholds {
  /** Detections per 1,000 events block when candidate > max(factor * current, current + floorPerThousand). */
  detectionFactor: number;
  detectionFloorPerThousand: number;
  /** Time per event blocks when candidate > cpuFactor * current + cpuFloorUs (µs per event). */
  cpuFactor: number;
  cpuFloorUs: number;
  /** The same floor for models, whose rows cost far less than a pack's events. */
  modelCpuFloorUs: number;
}

export interface SimulatedCorpusOptions {
  hosts: number;
  hours: number;
  /** Hour of the simulated Monday to start at (working hours have the most activity). */
  startHour: number;
}

export interface ValidateOptions {
  /** The engine's archive; missing or empty: a simulated corpus, said so in the report. */
  archiveDir?: string;
  /** At most this many events are replayed (the archive is read in order up to it). */
  maxEvents: number;
  simulated: SimulatedCorpusOptions;
  /** Longest the replay may take, and the fuzz pass too (each), ms. */
  timeLimitMs: number;
  /** Heap limit of the worker threads that run content, MB. */
  memoryMb: number;
  /** Time budget per frame of events (signature packs), ms: the sensor's signatureBudgetMs. */
  budgetMs: number;
  /** Events per frame: the sensor's batchMaxEvents. */
  batchEvents: number;
  /** Rows per model run: the engine's micro-batch bound. */
  batchRows: number;
  /** Timing passes over the corpus; each batch's time is its fastest pass (robust to a noisy machine). */
  cpuRounds: number;
  /** Hostile inputs generated for the fuzz pass (signature packs); 0 skips it (reported). */
  fuzz: number;
  seed: number;
  thresholds: Thresholds;
  /** Where a fuzz input that broke the pack is written in full (the report shows it truncated). */
  saveDir?: string;
  /** Called as long stages advance (the CLI draws progress on stderr). */
  onProgress?: (stage: string, done: number, total: number) => void;
  nowMs: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = Object.freeze({
  detectionFactor: 3,
  detectionFloorPerThousand: 5,
  cpuFactor: 2,
  cpuFloorUs: 2,
  modelCpuFloorUs: 0.1,
});

export const VALIDATE_DEFAULTS = Object.freeze({
  maxEvents: 50_000,
  simulated: Object.freeze({ hosts: 10, hours: 3, startHour: 8 }),
  timeLimitMs: 300_000,
  memoryMb: sensorConfigSchema.signatureMemoryMb.default,
  budgetMs: sensorConfigSchema.signatureBudgetMs.default,
  batchEvents: sensorConfigSchema.batchMaxEvents.default,
  batchRows: engineConfigSchema.scoreMaxRows.default,
  cpuRounds: 2,
  fuzz: 1000,
  seed: 1,
  thresholds: DEFAULT_THRESHOLDS,
});

export function resolveOptions(o: Partial<ValidateOptions> = {}): ValidateOptions {
  return {
    ...VALIDATE_DEFAULTS,
    nowMs: Date.now(),
    ...o,
    simulated: { ...VALIDATE_DEFAULTS.simulated, ...o.simulated },
    thresholds: { ...DEFAULT_THRESHOLDS, ...o.thresholds },
  };
}
