/** ArchiveOptions: defaults and validation (unknown keys rejected, every problem reported). */
import type { ArchiveOptions } from './types.js';

export type ResolvedOptions = Required<Omit<ArchiveOptions, 'faultHook'>> & Pick<ArchiveOptions, 'faultHook'>;

export const ARCHIVE_DEFAULTS = {
  segmentBytes: 64 << 20,
  retentionMs: 30 * 24 * 3600 * 1000,
  groupCommitMs: 2,
  fsync: true,
  compressionLevel: 0,
  maxPendingBytes: 256 << 20,
} as const;

const KNOWN = new Set(['dir', 'segmentBytes', 'retentionMs', 'groupCommitMs', 'fsync', 'compressionLevel', 'maxPendingBytes', 'faultHook']);

export function resolveOptions(o: ArchiveOptions): { ok: true; value: ResolvedOptions } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  for (const key of Object.keys(o)) if (!KNOWN.has(key)) problems.push(`unknown option "${key}"`);
  const r: ResolvedOptions = { ...ARCHIVE_DEFAULTS, ...stripUndefined(o) };
  if (typeof r.dir !== 'string' || r.dir === '') problems.push('dir must be a non-empty path');
  if (!Number.isSafeInteger(r.segmentBytes) || r.segmentBytes < 1024) problems.push('segmentBytes must be an integer >= 1024');
  if (!Number.isFinite(r.retentionMs) || r.retentionMs < 0) problems.push('retentionMs must be >= 0');
  if (!Number.isFinite(r.groupCommitMs) || r.groupCommitMs < 0 || r.groupCommitMs > 1000) problems.push('groupCommitMs must be in 0..1000');
  if (typeof r.fsync !== 'boolean') problems.push('fsync must be a boolean');
  if (!Number.isInteger(r.compressionLevel) || r.compressionLevel < 0 || r.compressionLevel > 11) problems.push('compressionLevel must be an integer in 0..11 (brotli quality)');
  if (!Number.isSafeInteger(r.maxPendingBytes) || r.maxPendingBytes < 1) problems.push('maxPendingBytes must be a positive integer');
  return problems.length ? { ok: false, problems } : { ok: true, value: Object.freeze(r) };
}

function stripUndefined(o: ArchiveOptions): ArchiveOptions {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as unknown as ArchiveOptions;
}
