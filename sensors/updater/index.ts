export { ContentUpdater, UPDATER_DEFAULTS, type ContentUpdaterOptions } from './content-updater.js';
export { DirBundleCache, MemoryBundleCache } from './bundle-cache.js';
export { FileUpdaterStore, MemoryUpdaterStore, UPDATER_STATE_FILE } from './stores.js';
export { SignatureRuntime } from './signature-runtime.js';
export { freshState, UPDATER_STATE_FORMAT, type ContentRef, type LoadedEntry, type UpdaterState } from './state.js';
export type {
  ApplyOutcome, BundleCache, BundleSource, ContentRuntime, TargetOutcome, TargetStatus, UpdaterFailure, UpdaterReport, UpdaterStore,
} from './types.js';
