/**
 * open()'s recovery: rebuild the segment table and the dedup index from the directory.
 *
 * - The dedup checkpoint (dedup.json) is loaded first, then every segment's keys are merged into
 *   it (merging is idempotent, so a segment both in the checkpoint and on disk is harmless).
 * - A sealed segment with a matching sidecar is not read at all. Without one it is scanned
 *   header by header (bodies skipped, never decompressed), and its sidecar is written.
 * - The last segment was the active one if the engine crashed: its records are read with their
 *   body CRCs (still not decompressed) and everything from the first bad or partial record on is
 *   truncated. Those bytes were written after the last fdatasync, so no ack covered them.
 *   After recovery every segment is sealed: the next append starts a new one.
 */
import { mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fail, ok } from '../../common/errors.js';
import type { Result, VigieProblem } from '../../common/errors.js';
import { DedupIndex, markOf, SegmentKeys } from './dedup.js';
import { parseSegmentName, segmentName, sidecarName } from './format.js';
import { readSegment } from './reader.js';
import { readCheckpoint, readSidecar, writeSidecar } from './sidecar.js';
import type { SegmentSummary } from './sidecar.js';
import type { BatchMeta, RecoveryReport } from './types.js';

/** A segment in the archive's table. */
export interface Segment {
  readonly n: number;
  bytes: number;
  records: number;
  events: number;
  oldestMs: number;
  newestMs: number;
  sealed: boolean;
  /** Keys written to the active segment, for its sidecar; dropped once sealed. */
  keys: SegmentKeys | undefined;
}

/** Counts a record into a segment's totals (when written, or when scanned). */
export function countRecord(s: Pick<Segment, 'records' | 'events' | 'oldestMs' | 'newestMs'>, m: BatchMeta): void {
  s.records++;
  s.events += m.events;
  if (s.oldestMs < 0 || m.receivedMs < s.oldestMs) s.oldestMs = m.receivedMs;
  if (m.receivedMs > s.newestMs) s.newestMs = m.receivedMs;
}

export interface Recovered<P> {
  segments: Segment[];
  dedup: DedupIndex<P>;
  lastSegment: number;
  report: RecoveryReport;
}

interface Scan {
  summary: SegmentSummary;
  truncateAt: number | undefined;
  problems: VigieProblem[];
}

async function scanSegment(path: string, size: number, active: boolean): Promise<Scan> {
  const keys = new SegmentKeys();
  const summary: SegmentSummary = { bytes: size, records: 0, events: 0, oldestMs: -1, newestMs: -1, keys: {} };
  const problems: VigieProblem[] = [];
  let truncateAt: number | undefined;
  const fh = await open(path, 'r');
  try {
    const items = readSegment(fh, { limit: size, bodies: active ? 'verify' : 'skip', resync: !active });
    for await (const item of items) {
      if (item.kind === 'damage') {
        const what = active ? `torn tail truncated (${item.reason})` : `damaged record skipped (${item.reason})`;
        problems.push({ code: 'VIGIE_ARCHIVE_CORRUPT', message: `${what}, ${item.length} bytes`, location: { file: path, offset: item.offset } });
        if (active) {
          truncateAt = item.offset;
          summary.bytes = item.offset;
          break;
        }
        continue;
      }
      const m = item.header.meta;
      keys.add(m.sensorId, m.seq, markOf(m.seq, m.firstUnackedSeq));
      countRecord(summary, m);
    }
  } finally {
    await fh.close();
  }
  summary.keys = keys.digest();
  return { summary, truncateAt, problems };
}

async function truncate(path: string, length: number): Promise<void> {
  const fh = await open(path, 'r+');
  try {
    await fh.truncate(length);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export async function recover<P>(dir: string): Promise<Result<Recovered<P>>> {
  const started = performance.now();
  const report: RecoveryReport = { segments: 0, fromSidecar: 0, truncatedBytes: 0, damagedRecords: 0, problems: [], durationMs: 0 };
  const dedup = new DedupIndex<P>();
  const segments: Segment[] = [];
  let lastSegment = 0;
  try {
    await mkdir(dir, { recursive: true });
    const names = await readdir(dir);
    const nums: number[] = [];
    for (const name of names) {
      const n = parseSegmentName(name);
      if (n !== undefined) nums.push(n);
      else if (name.endsWith('.tmp')) await rm(join(dir, name), { force: true });
    }
    nums.sort((a, b) => a - b);
    const live = new Set(nums.map(sidecarName));
    for (const name of names) if (name.endsWith('.vgx') && !live.has(name)) await rm(join(dir, name), { force: true });

    const checkpoint = await readCheckpoint(dir);
    if (typeof checkpoint === 'string') {
      // Refuse rather than guess: without it, re-sent batches of swept segments would be archived
      // twice. An operator who accepts that can delete the file.
      return fail('VIGIE_ARCHIVE_CORRUPT', `dedup checkpoint unusable: ${checkpoint}`, { file: join(dir, 'dedup.json') });
    }
    if (checkpoint) {
      dedup.merge(checkpoint.keys);
      lastSegment = checkpoint.lastSegment;
    }

    for (const [i, n] of nums.entries()) {
      const path = join(dir, segmentName(n));
      lastSegment = Math.max(lastSegment, n);
      const size = (await stat(path)).size;
      let summary = await readSidecar(dir, n, size);
      if (summary) report.fromSidecar++;
      else {
        const scan = await scanSegment(path, size, i === nums.length - 1);
        report.problems.push(...scan.problems);
        if (scan.truncateAt !== undefined) {
          await truncate(path, scan.truncateAt);
          report.truncatedBytes += size - scan.truncateAt;
        } else report.damagedRecords += scan.problems.length;
        summary = scan.summary;
        if (summary.bytes === 0) {
          await rm(path, { force: true });
          continue;
        }
        await writeSidecar(dir, n, summary);
      }
      dedup.merge(summary.keys);
      const { bytes, records, events, oldestMs, newestMs } = summary;
      segments.push({ n, bytes, records, events, oldestMs, newestMs, sealed: true, keys: undefined });
    }
  } catch (e) {
    return fail('VIGIE_ARCHIVE_IO', `recovery failed: ${(e as Error).message}`, { file: dir });
  }
  report.segments = segments.length;
  report.durationMs = performance.now() - started;
  return ok({ segments, dedup, lastSegment, report });
}
