/**
 * The stage list: every archived batch goes through these, in this order. Declared once, built
 * from plain options, so the same list runs in the analysis thread or, when configured, on the
 * engine's main thread. Detections go to `sink` (the main thread writes them to the store).
 * The runner starts the stages in this order before the first batch (the score stage loads its
 * models then) and closes them in this order at teardown (StageRunner).
 */
import type { Logger } from '../../common/log.js';
import { SignatureHitStage } from '../detect/signature-hits.js';
import type { DetectionSink } from '../detect/detection.js';
import { EnrichStage } from '../enrich/enrich.js';
import type { BatchStage } from '../pipeline/stage.js';
import { ScoreStage, type ScoreOptions } from '../score/score-stage.js';
import { CountMinSketch } from '../../models/features/rarity.js';

export interface StageOptions {
  processTableHosts: number;
  processTablePerHost: number;
  /** Model paths already resolved ('default' -> a path or 'none', see engine/score/model-source.ts). */
  score: ScoreOptions;
}

/**
 * The same options with the rarity counters in one SharedArrayBuffer, for every analysis thread:
 * each thread extracts the features of its own sensors, but fleet and tenant rarity must count
 * every host (models/features/rarity.ts, shared). Threads restarted after a crash keep it.
 */
export function withSharedRarity(o: StageOptions): StageOptions {
  const extractor = o.score.extractor ?? {};
  const sketch = extractor.sketch ?? {};
  if (sketch.shared) return o;
  return { ...o, score: { ...o.score, extractor: { ...extractor, sketch: { ...sketch, shared: CountMinSketch.sharedBuffer(sketch) } } } };
}

export function buildStages(o: StageOptions, sink: DetectionSink, log: Logger): BatchStage[] {
  const enrich = new EnrichStage({ maxHosts: o.processTableHosts, maxPerHost: o.processTablePerHost });
  return [
    enrich,
    new SignatureHitStage(enrich.table, sink),
    new ScoreStage(o.score, enrich.table, sink, log.child({ stage: 'score' })),
  ];
}
