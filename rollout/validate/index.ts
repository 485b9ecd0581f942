/**
 * rollout/validate: pre-release validation of signature packs and models with the sensor's and
 * the engine's own code (see README.md). `validateContent` is the whole of it; the rest is
 * exported for the CLI, the fleet simulation and tests.
 */
export { validateContent } from './validate.js';
export type { ContentUnderTest, CurrentContent } from './validate.js';
export { DEFAULT_THRESHOLDS, VALIDATE_DEFAULTS, resolveOptions } from './options.js';
export type { SimulatedCorpusOptions, Thresholds, ValidateOptions } from './options.js';
export type { Check, CorpusInfo, Metrics, ValidationReport, Verdict } from './report.js';
export { renderReport } from './render.js';
export { contentFromBytes, currentFromBytes, isBundle, rawKind } from './input.js';
export type { BundleContext, ReadContent } from './input.js';
export { cpuLimit, detectionLimit, judgeCpu, judgeDetections } from './judge.js';
export { fieldsRead, unsuppliedFields } from './pack-fields.js';
export { loadCorpus, simulatedCorpus } from './corpus.js';
export { fuzzInputs, fuzzTargets } from './fuzz-events.js';
export type { FuzzInput } from './fuzz-events.js';
export { setField, settableFields } from './event-fields.js';
