/** Feature schema v1 and its extractor: the one definition of model inputs (see README.md). */
export {
  FEATURE_SCHEMA_VERSION, EXPLAIN_RARITY, FEATURE_LAYOUTS, PROCESS_LAYOUT, PROCESS_WIDTH, NETWORK_LAYOUT, NETWORK_WIDTH,
} from './schema.js';
export type { FeatureDef, FeatureKind, FeatureSpec, RowKind, RowLayout, ProcessFeatureName, NetworkFeatureName } from './schema.js';
export { FeatureExtractor } from './extract.js';
export type { FeatureExtractorOptions, ExtractorCounters } from './extract.js';
export { FeatureBatch, FeatureRows, REFS_PER_ROW, Ref } from './rows.js';
export { processRowContext } from './context.js';
export type { ProcessRowContext, NetworkRowContext } from './context.js';
export { CountMinSketch, RARITY_SATURATION, rarityOf, rarityCount } from './rarity.js';
export type { SketchOptions } from './rarity.js';
export { explainRow } from './explain.js';
export type { FeatureExplanation } from './explain.js';
export { schemaReference, SCHEMA_DOC_BEGIN, SCHEMA_DOC_END } from './schema-doc.js';
export * as commandLine from './command-line.js';
export { basename, pathClass, PathClass } from './image-path.js';
export { isPublicAddress, registeredDomainStart } from './net-shape.js';
