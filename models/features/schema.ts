/**
 * Feature schema v1: the one definition of the rows the engine scores and models/ trains on.
 * Two layouts, each an ordered, frozen list of {name, description, kind, explain}:
 * - process rows (PROCESS_WIDTH columns), one per process start: ancestry, parent -> child pair,
 *   image path class, command-line shape, user and integrity, time of day, rarity;
 * - network rows (NETWORK_WIDTH columns), one per process per window: peers, ports, rare
 *   destinations, beaconing regularity, DNS.
 * A model card names FEATURE_SCHEMA_VERSION and the column names; any change of order, meaning
 * or scaling is a new version.
 */
import { NETWORK_LAYOUT } from './network-features.js';
import { PROCESS_LAYOUT } from './process-features.js';

export { FEATURE_SCHEMA_VERSION, EXPLAIN_RARITY } from './layout.js';
export type { FeatureDef, FeatureKind, FeatureSpec, RowKind, RowLayout } from './layout.js';
export { PROCESS_LAYOUT, PROCESS_WIDTH } from './process-features.js';
export type { ProcessFeatureName } from './process-features.js';
export { NETWORK_LAYOUT, NETWORK_WIDTH } from './network-features.js';
export type { NetworkFeatureName } from './network-features.js';

/** Both layouts, by row kind. */
export const FEATURE_LAYOUTS = Object.freeze({ process: PROCESS_LAYOUT, network: NETWORK_LAYOUT });
