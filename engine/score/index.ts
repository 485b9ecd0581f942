export { MicroBatcher } from './micro-batcher.js';
export type { MicroBatch, MicroBatcherOptions, ScoreBatch } from './micro-batcher.js';
export { ScoreStage } from './score-stage.js';
export type { ScoreOptions } from './score-stage.js';
export { ModelSlot } from './model-slot.js';
export { modelDetection, severityOf } from './model-detection.js';
export type { RowTag, ModelVerdict } from './model-detection.js';
export { defaultModelPath, resolveModelSource } from './model-source.js';
export type { ModelKind } from './model-source.js';
