/**
 * The engine's raw-batch archive: compressed TelemetryBatch frames in append-only segment files,
 * the source of truth for "archived exactly once" and the corpus for replay and retraining.
 * The ingest path acks a batch only once append() has resolved, i.e. once it is durably on disk
 * (or was already). See README.md for the format and the guarantees.
 */
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fail, ok, VigieError } from '../../common/errors.js';
import type { Result, VigieProblem } from '../../common/errors.js';
import { Committer } from './committer.js';
import type { PendingWrite } from './committer.js';
import type { DedupIndex } from './dedup.js';
import { markOf } from './dedup.js';
import { metaProblems, segmentName } from './format.js';
import { acquireLock, releaseLock } from './lock.js';
import { resolveOptions } from './options.js';
import type { ResolvedOptions } from './options.js';
import { readSegment } from './reader.js';
import { recover } from './recover.js';
import type { Segment } from './recover.js';
import { removeSidecar, syncDir, writeCheckpoint, writeJsonAtomic } from './sidecar.js';
import { isPosition, type RecordPosition } from './position.js';
import type { Appended, ArchiveOptions, ArchiveRecord, ArchiveStats, BatchMeta, PositionedRecord, RecoveryReport, StoredRecord } from './types.js';
import { codecOf, decompressBody, readWindow } from './window.js';
import type { RecordWindow, RecordWindowSource, TimeSpan } from './window.js';


/** Damage goes to onProblem; without one, it is thrown as a VIGIE_ARCHIVE_CORRUPT VigieError. */
function reporter(onProblem: ((p: VigieProblem) => void) | undefined): (p: VigieProblem) => void {
  return (p) => {
    if (!onProblem) throw VigieError.from(p);
    onProblem(p);
  };
}

export class Archive implements RecordWindowSource {
  private closing: Promise<void> | undefined;
  private duplicates = 0;
  private rejectedFull = 0;
  private sweeping: Promise<unknown> = Promise.resolve();
  private readonly committer: Committer;

  private constructor(
    private readonly opts: ResolvedOptions,
    private readonly segments: Segment[],
    private readonly dedup: DedupIndex<PendingWrite>,
    lastSegment: number,
    /** What open() found and repaired. */
    readonly recovery: RecoveryReport,
  ) {
    this.committer = new Committer(opts, segments, lastSegment + 1, {
      durable: (w) => dedup.markDurable(w.meta.sensorId, w.meta.seq, w.mark),
      failed: (w) => dedup.releasePending(w.meta.sensorId, w.meta.seq),
    });
  }

  /** Opens (creating if needed) the archive in options.dir, recovering from any crash. */
  static async open(options: ArchiveOptions): Promise<Result<Archive>> {
    const resolved = resolveOptions(options);
    if (!resolved.ok) return fail('VIGIE_CONFIG_INVALID', `archive options: ${resolved.problems.join('; ')}`, { field: 'archive' });
    const opts = resolved.value;
    try {
      await mkdir(opts.dir, { recursive: true });
      const lock = await acquireLock(opts.dir);
      if (!lock.ok) return fail('VIGIE_ARCHIVE_IO', `archive is open in process ${lock.holder}`, { file: join(opts.dir, 'LOCK') });
    } catch (e) {
      return fail('VIGIE_ARCHIVE_IO', `cannot lock archive: ${(e as Error).message}`, { file: opts.dir });
    }
    const r = await recover<PendingWrite>(opts.dir);
    if (!r.ok) {
      await releaseLock(opts.dir).catch(() => undefined);
      return r;
    }
    const { segments, dedup, lastSegment, report } = r.value;
    return ok(new Archive(opts, segments, dedup, lastSegment, report));
  }

  /**
   * Decides synchronously whether (sensorId, seq) is new; stores it if so. Resolves when the record
   * is durably on disk, with the record's place in the archive. A duplicate of a record still
   * being written resolves 'duplicate' only after that write is durable, so an ack for it is never
   * premature. Rejects with a VigieError:
   * VIGIE_ARCHIVE_IO if the write fails (the key is released so a re-send can be stored),
   * VIGIE_ARCHIVE_FULL if the write queue is full, VIGIE_ARCHIVE_BAD_META for invalid metadata.
   * `payload` must not be modified until the promise settles.
   */
  append(meta: BatchMeta, payload: Uint8Array): Promise<Appended> {
    if (this.closing) return Promise.reject(new VigieError('VIGIE_ARCHIVE_IO', 'archive is closed', { file: this.opts.dir }));
    if (this.committer.broken) return Promise.reject(this.committer.broken);
    const problems = metaProblems(meta, payload.length);
    if (problems.length) return Promise.reject(new VigieError('VIGIE_ARCHIVE_BAD_META', problems.join('; '), { sensor: String(meta.sensorId) }));
    const found = this.dedup.lookup(meta.sensorId, meta.seq);
    if (found === 'durable') {
      this.duplicates++;
      return Promise.resolve({ outcome: 'duplicate' });
    }
    if (found !== 'new') {
      this.duplicates++;
      return new Promise((resolve, reject) => found.pending.waiters.push({ resolve: () => resolve({ outcome: 'duplicate' }), reject }));
    }
    if (this.committer.pendingBytes + payload.length > this.opts.maxPendingBytes && this.committer.pendingCount > 0) {
      this.rejectedFull++;
      return Promise.reject(new VigieError('VIGIE_ARCHIVE_FULL', `more than ${this.opts.maxPendingBytes} bytes waiting to be written`, { sensor: meta.sensorId }));
    }
    const { sensorId, tenant, seq, firstUnackedSeq, events, receivedMs } = meta;
    return new Promise((resolve, reject) => {
      const w: PendingWrite = {
        meta: { sensorId, tenant, seq, firstUnackedSeq, events, receivedMs },
        mark: markOf(seq, firstUnackedSeq),
        payloadBytes: payload.length,
        head: undefined,
        body: undefined,
        settled: false,
        at: undefined,
        waiters: [{ resolve: () => resolve({ outcome: 'stored', at: w.at! }), reject }],
      };
      this.dedup.addPending(sensorId, seq, w);
      this.committer.enqueue(w, payload);
    });
  }

  /** True if append() would answer 'duplicate' now (archived, below the mark, or being written). */
  isDuplicate(sensorId: string, seq: number): boolean {
    return this.dedup.isDuplicate(sensorId, seq);
  }

  /**
   * Deletes sealed segments whose newest record is older than the retention window (never the
   * active one). Before deleting, the dedup index is checkpointed durably (dedup.json), so the
   * keys of deleted records survive a restart while they are at or above their sensor's low-water
   * mark; keys below it were forgotten already (the sensor will never send them again).
   *
   * A sensor offline for longer than the retention window therefore loses its archived batches
   * (they aged out) but not its dedup state: when it reconnects and re-sends batches whose ack
   * was lost, they are recognised and acked as duplicates, not archived a second time as if new.
   * The cost is a low-water mark and the unacked window per sensor ever seen, kept until the
   * sensor moves its mark forward.
   */
  sweep(nowMs: number, keepFrom = Infinity): Promise<{ deletedSegments: number; deletedBytes: number }> {
    const run = this.sweeping.then(() => this.sweepNow(nowMs, keepFrom));
    this.sweeping = run.catch(() => undefined);
    return run;
  }

  private async sweepNow(nowMs: number, keepFrom: number): Promise<{ deletedSegments: number; deletedBytes: number }> {
    const cutoff = nowMs - this.opts.retentionMs;
    const victims = this.segments.filter((s) => s.sealed && s.newestMs < cutoff && s.n < keepFrom);
    if (victims.length === 0) return { deletedSegments: 0, deletedBytes: 0 };
    const dir = this.opts.dir;
    try {
      await writeCheckpoint(dir, { lastSegment: this.committer.lastSegment, keys: this.dedup.digest() });
      let deletedBytes = 0;
      for (const seg of victims) {
        await rm(join(dir, segmentName(seg.n)), { force: true });
        await removeSidecar(dir, seg.n);
        this.segments.splice(this.segments.indexOf(seg), 1);
        deletedBytes += seg.bytes;
      }
      if (this.opts.fsync) await syncDir(dir);
      return { deletedSegments: victims.length, deletedBytes };
    } catch (e) {
      throw new VigieError('VIGIE_ARCHIVE_IO', `retention sweep failed: ${(e as Error).message}`, { file: dir });
    }
  }

  /**
   * Every durable record in archive order, decompressed. Damaged records are passed to onProblem
   * and skipped; without onProblem the iteration throws a VIGIE_ARCHIVE_CORRUPT VigieError.
   */
  records(onProblem?: (p: VigieProblem) => void): AsyncGenerator<PositionedRecord> {
    return this.recordsFrom({ segment: 0, offset: 0 }, onProblem);
  }

  /**
   * The durable records at or after `from` (a record's start, or the end of the one before), in
   * archive order, each with its place. Each segment is read up to its durable size when the
   * reader reaches it: records made durable after that come in a later call, from where this
   * one stopped. Damage as in records().
   */
  async *recordsFrom(from: RecordPosition, onProblem?: (p: VigieProblem) => void): AsyncGenerator<PositionedRecord> {
    const report = reporter(onProblem);
    for await (const r of this.storedRecordsFrom(from, report)) {
      let payload: Buffer;
      try {
        payload = await decompressBody(r.body, r.codec);
      } catch (e) {
        report({ code: 'VIGIE_ARCHIVE_CORRUPT', message: `body does not decompress: ${(e as Error).message}`, location: { file: join(this.opts.dir, segmentName(r.at.segment)), offset: r.at.offset } });
        continue;
      }
      yield { meta: r.meta, payload, at: r.at };
    }
  }

  /**
   * As recordsFrom(), with bodies as stored (CRC-checked, not inflated): the analysis feed hands
   * them to the analysis threads, which inflate them (window.ts inflateBody), so that reading
   * the archive costs the ingest thread only file reads and CRCs.
   */
  async *storedRecordsFrom(from: RecordPosition, onProblem?: (p: VigieProblem) => void): AsyncGenerator<StoredRecord> {
    const report = reporter(onProblem);
    for (const seg of this.segments.filter((s) => s.n >= from.segment)) {
      const path = join(this.opts.dir, segmentName(seg.n));
      const limit = seg.bytes; // durable bytes only: the active segment may hold a write in flight
      const start = seg.n === from.segment ? from.offset : 0;
      if (limit <= start) continue;
      let fh;
      try {
        fh = await open(path, 'r');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue; // swept meanwhile
        throw new VigieError('VIGIE_ARCHIVE_IO', `cannot read segment: ${(e as Error).message}`, { file: path });
      }
      try {
        for await (const item of readSegment(fh, { limit, bodies: 'read', resync: true, start })) {
          if (item.kind === 'damage') {
            report({ code: 'VIGIE_ARCHIVE_CORRUPT', message: `${item.reason}, ${item.length} bytes skipped`, location: { file: path, offset: item.offset } });
            continue;
          }
          const h = item.header;
          yield { meta: h.meta, body: item.body!, codec: codecOf(h), at: { segment: seg.n, offset: item.offset, end: item.offset + h.recordLength } };
        }
      } finally {
        await fh.close();
      }
    }
  }

  /**
   * The durable records of one sensor received within [w.fromMs, w.toMs], in archive order. Only
   * segments whose receivedMs range overlaps the window are opened, and only matching bodies are
   * read and decompressed. Damage as in records().
   */
  window(w: RecordWindow, onProblem?: (p: VigieProblem) => void): AsyncGenerator<ArchiveRecord> {
    const spans = this.segments.map((s) => ({ path: join(this.opts.dir, segmentName(s.n)), limit: s.bytes, oldestMs: s.oldestMs, newestMs: s.newestMs, growing: false }));
    return readWindow(spans, w, onProblem);
  }

  /**
   * The end of the durable records: the position the next record will be at or after. A reader
   * whose position compares equal to it has read everything stored so far.
   */
  tail(): RecordPosition {
    const last = this.segments[this.segments.length - 1];
    return last ? { segment: last.n, offset: last.bytes } : { segment: this.committer.lastSegment, offset: 0 };
  }

  /** Durable bytes after a position (records not read yet by a reader there). */
  bytesAfter(p: RecordPosition): number {
    let n = 0;
    for (const s of this.segments) {
      if (s.n > p.segment) n += s.bytes;
      else if (s.n === p.segment) n += Math.max(0, s.bytes - p.offset);
    }
    return n;
  }

  /**
   * A reader's saved place (the analysis feed's: the oldest record it has not finished), kept
   * beside the segments in reader-<name>.json. Undefined when never saved; a VigieProblem when
   * the file is unreadable or not a position (the caller decides where to start instead).
   */
  async loadReaderPosition(name: string): Promise<RecordPosition | undefined | VigieProblem> {
    const file = join(this.opts.dir, `reader-${name}.json`);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      return { code: 'VIGIE_ARCHIVE_IO', message: `cannot read: ${(e as Error).message}`, location: { file } };
    }
    try {
      const v: unknown = JSON.parse(text);
      if (isPosition(v)) return { segment: v.segment, offset: v.offset };
    } catch {
      // reported below
    }
    return { code: 'VIGIE_ARCHIVE_CORRUPT', message: 'not a {segment, offset} position', location: { file } };
  }

  /** Saves a reader's place atomically (durably when the archive fsyncs). */
  saveReaderPosition(name: string, p: RecordPosition): Promise<void> {
    return writeJsonAtomic(this.opts.dir, `reader-${name}.json`, { segment: p.segment, offset: p.offset, savedMs: Date.now() }, this.opts.fsync);
  }

  /** True when segment `n` is still on disk (a reader's position may point into a swept one). */
  hasSegment(n: number): boolean {
    return this.segments.some((s) => s.n === n);
  }

  /** Oldest and newest receivedMs of the durable records, undefined when there are none. */
  timeSpan(): TimeSpan | undefined {
    let span: TimeSpan | undefined;
    for (const s of this.segments) {
      if (s.records === 0 || s.oldestMs < 0) continue;
      span = span ? { oldestMs: Math.min(span.oldestMs, s.oldestMs), newestMs: Math.max(span.newestMs, s.newestMs) } : { oldestMs: s.oldestMs, newestMs: s.newestMs };
    }
    return span;
  }

  stats(): ArchiveStats {
    let bytes = 0;
    let records = 0;
    let events = 0;
    for (const s of this.segments) {
      bytes += s.bytes;
      records += s.records;
      events += s.events;
    }
    const size = this.dedup.size();
    return {
      segments: this.segments.length,
      bytes,
      records,
      events,
      pendingWrites: this.committer.pendingCount,
      duplicates: this.duplicates,
      rejectedFull: this.rejectedFull,
      flushes: this.committer.flushes,
      dedupSensors: size.sensors,
      dedupKeys: size.keys,
    };
  }

  /** Flushes pending writes, seals the active segment (writing its sidecar) and unlocks. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.committer.close();
      await this.sweeping;
      await releaseLock(this.opts.dir);
    })();
    return this.closing;
  }
}
