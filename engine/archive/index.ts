/** The engine's raw-batch archive: see README.md. */
export { Archive } from './archive.js';
export { ARCHIVE_DEFAULTS } from './options.js';
export { ArchiveReader } from './read-only.js';
export type { RecordWindow, RecordWindowSource, TimeSpan } from './window.js';
export type {
  AppendOutcome,
  ArchiveOptions,
  ArchiveRecord,
  ArchiveStats,
  BatchMeta,
  RecoveryReport,
} from './types.js';
