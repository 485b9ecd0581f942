export { Spool, RESERVE_BLOCK } from './spool.js';
export { SPOOL_SCHEMA, resolveSpoolOptions, type ResolvedSpoolOptions } from './options.js';
export type { SpoolCounters, SpoolEntry, SpoolOptions, SpoolStats } from './types.js';
