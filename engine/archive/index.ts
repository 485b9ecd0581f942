/** The engine's raw-batch archive: see README.md. */
export { Archive } from './archive.js';
export { ARCHIVE_DEFAULTS } from './options.js';
export { ArchiveReader } from './read-only.js';
export { inflateBody } from './window.js';
export type { BodyCodec } from './window.js';
export { after, comparePositions, isPosition } from './position.js';
export type { RecordPosition, RecordSpan } from './position.js';
export type { RecordWindow, RecordWindowSource, TimeSpan } from './window.js';
export type {
  AppendOutcome,
  Appended,
  PositionedRecord,
  StoredRecord,
  ArchiveOptions,
  ArchiveRecord,
  ArchiveStats,
  BatchMeta,
  RecoveryReport,
} from './types.js';
