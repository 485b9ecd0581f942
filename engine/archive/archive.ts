/**
 * The engine's raw-batch archive: compressed TelemetryBatch frames in append-only segment files,
 * the source of truth for "archived exactly once" and the corpus for replay and retraining.
 * The ingest path acks a batch only once append() has resolved, i.e. once it is durably on disk
 * (or was already). See README.md for the format and the guarantees.
 */
import { mkdir, open, rm } from 'node:fs/promises';
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
import { removeSidecar, syncDir, writeCheckpoint } from './sidecar.js';
import type { AppendOutcome, ArchiveOptions, ArchiveRecord, ArchiveStats, BatchMeta, RecoveryReport } from './types.js';
import { decompressBody, readWindow } from './window.js';
import type { RecordWindow, RecordWindowSource, TimeSpan } from './window.js';


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
   * is durably on disk. A duplicate of a record still being written resolves 'duplicate' only
   * after that write is durable, so an ack for it is never premature. Rejects with a VigieError:
   * VIGIE_ARCHIVE_IO if the write fails (the key is released so a re-send can be stored),
   * VIGIE_ARCHIVE_FULL if the write queue is full, VIGIE_ARCHIVE_BAD_META for invalid metadata.
   * `payload` must not be modified until the promise settles.
   */
  append(meta: BatchMeta, payload: Uint8Array): Promise<AppendOutcome> {
    if (this.closing) return Promise.reject(new VigieError('VIGIE_ARCHIVE_IO', 'archive is closed', { file: this.opts.dir }));
    if (this.committer.broken) return Promise.reject(this.committer.broken);
    const problems = metaProblems(meta, payload.length);
    if (problems.length) return Promise.reject(new VigieError('VIGIE_ARCHIVE_BAD_META', problems.join('; '), { sensor: String(meta.sensorId) }));
    const found = this.dedup.lookup(meta.sensorId, meta.seq);
    if (found === 'durable') {
      this.duplicates++;
      return Promise.resolve('duplicate');
    }
    if (found !== 'new') {
      this.duplicates++;
      return new Promise((resolve, reject) => found.pending.waiters.push({ resolve: () => resolve('duplicate'), reject }));
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
        waiters: [{ resolve: () => resolve('stored'), reject }],
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
  sweep(nowMs: number): Promise<{ deletedSegments: number; deletedBytes: number }> {
    const run = this.sweeping.then(() => this.sweepNow(nowMs));
    this.sweeping = run.catch(() => undefined);
    return run;
  }

  private async sweepNow(nowMs: number): Promise<{ deletedSegments: number; deletedBytes: number }> {
    const cutoff = nowMs - this.opts.retentionMs;
    const victims = this.segments.filter((s) => s.sealed && s.newestMs < cutoff);
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
  async *records(onProblem?: (p: VigieProblem) => void): AsyncGenerator<ArchiveRecord> {
    const report = (p: VigieProblem): void => {
      if (!onProblem) throw VigieError.from(p);
      onProblem(p);
    };
    for (const seg of [...this.segments]) {
      const path = join(this.opts.dir, segmentName(seg.n));
      const limit = seg.bytes; // durable bytes only: the active segment may hold a write in flight
      if (limit === 0) continue;
      let fh;
      try {
        fh = await open(path, 'r');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue; // swept meanwhile
        throw new VigieError('VIGIE_ARCHIVE_IO', `cannot read segment: ${(e as Error).message}`, { file: path });
      }
      try {
        for await (const item of readSegment(fh, { limit, bodies: 'read', resync: true })) {
          if (item.kind === 'damage') {
            report({ code: 'VIGIE_ARCHIVE_CORRUPT', message: `${item.reason}, ${item.length} bytes skipped`, location: { file: path, offset: item.offset } });
            continue;
          }
          let payload: Buffer;
          try {
            payload = await decompressBody(item.header, item.body!);
          } catch (e) {
            report({ code: 'VIGIE_ARCHIVE_CORRUPT', message: `body does not decompress: ${(e as Error).message}`, location: { file: path, offset: item.offset } });
            continue;
          }
          yield { meta: item.header.meta, payload };
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
