/**
 * The archive read without its lock, for a process other than the engine (the CLI's
 * `vigie alerts show` while the engine runs). It never writes: no LOCK, no recovery, no sidecar,
 * no truncation. What it sees is a snapshot of the directory at open():
 * - a segment with a sidecar matching its size is sealed: its receivedMs range is known;
 * - the newest segment without one is the engine's active segment: it is read up to its size at
 *   open(), and a bad record there ends the read quietly (a write in flight, not damage);
 * - any other segment without a sidecar is read whole (its range unknown), damage reported.
 * A segment deleted by a retention sweep after open() is skipped.
 */
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fail, ok } from '../../common/errors.js';
import type { Result, VigieProblem } from '../../common/errors.js';
import { parseSegmentName, segmentName } from './format.js';
import { readSegment } from './reader.js';
import { readSidecar } from './sidecar.js';
import type { ArchiveRecord } from './types.js';
import { readWindow } from './window.js';
import type { RecordWindow, RecordWindowSource, SegmentSpan, TimeSpan } from './window.js';

export class ArchiveReader implements RecordWindowSource {
  private constructor(readonly dir: string, private readonly spans: readonly SegmentSpan[], private readonly span: TimeSpan | undefined) {}

  /** A snapshot of the archive in `dir`; VIGIE_ARCHIVE_IO when there is no archive there. */
  static async open(dir: string): Promise<Result<ArchiveReader>> {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (e) {
      return fail('VIGIE_ARCHIVE_IO', `no archive to read: ${(e as Error).message}`, { file: dir });
    }
    const nums = names.map(parseSegmentName).filter((n): n is number => n !== undefined).sort((a, b) => a - b);
    const spans: SegmentSpan[] = [];
    let oldest = -1;
    let newest = -1;
    try {
      for (const [i, n] of nums.entries()) {
        const path = join(dir, segmentName(n));
        const st = await stat(path).catch((e: NodeJS.ErrnoException) => { if (e.code === 'ENOENT') return undefined; throw e; });
        if (!st || st.size === 0) continue;
        const side = await readSidecar(dir, n, st.size);
        const growing = !side && i === nums.length - 1;
        const span: SegmentSpan = { path, limit: st.size, oldestMs: side?.oldestMs ?? -1, newestMs: side?.newestMs ?? -1, growing };
        spans.push(span);
        // The archive's oldest record starts its first segment; its newest ends the last one, whose
        // last write is near enough to its mtime for a span shown to people (no header walk).
        if (oldest < 0) oldest = side ? side.oldestMs : await firstReceivedMs(path, st.size, growing);
        newest = Math.max(newest, side ? side.newestMs : Math.round(st.mtimeMs));
      }
    } catch (e) {
      return fail('VIGIE_ARCHIVE_IO', `cannot read the archive: ${(e as Error).message}`, { file: dir });
    }
    return ok(new ArchiveReader(dir, spans, oldest >= 0 ? { oldestMs: oldest, newestMs: Math.max(oldest, newest) } : undefined));
  }

  timeSpan(): TimeSpan | undefined {
    return this.span;
  }

  window(w: RecordWindow, onProblem?: (p: VigieProblem) => void): AsyncGenerator<ArchiveRecord> {
    return readWindow(this.spans, w, onProblem);
  }
}

/** receivedMs of a segment's first intact record, -1 if it has none. */
async function firstReceivedMs(path: string, size: number, growing: boolean): Promise<number> {
  const fh = await open(path, 'r');
  try {
    for await (const item of readSegment(fh, { limit: size, bodies: 'skip', resync: !growing })) {
      if (item.kind === 'record') return item.header.meta.receivedMs;
      if (growing) break;
    }
    return -1;
  } finally {
    await fh.close();
  }
}
