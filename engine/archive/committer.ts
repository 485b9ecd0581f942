/**
 * Group commit: accepted appends are compressed on worker threads (compressor.ts, so the main
 * thread keeps ingesting), then written in append order, many records per write,
 * with one fdatasync per flush. Every promise of a flush settles after that fdatasync.
 *
 * Order: records reach the file in append-call order even though compressions finish in any
 * order: a flush takes only the longest prefix of the queue whose bodies are ready.
 *
 * Failure: if a write or fdatasync fails, the file is truncated back to where the flush began
 * (bytes after the last successful fdatasync were never acked), the flush's appends reject with
 * VIGIE_ARCHIVE_IO and their keys are released; later appends are tried again. If the truncate
 * fails too, the tail of the file is unknown: the committer is broken and rejects everything
 * until the archive is reopened (whose recovery verifies and truncates that tail).
 */
import { open, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { WorkerCompressor } from './compressor.js';
import { VigieError } from '../../common/errors.js';
import { SegmentKeys } from './dedup.js';
import { encodeHead, segmentName } from './format.js';
import { countRecord } from './recover.js';
import type { Segment } from './recover.js';
import { syncDir, writeSidecar } from './sidecar.js';
import type { RecordSpan } from './position.js';
import type { ArchiveOptions, BatchMeta } from './types.js';

export interface PendingWrite {
  readonly meta: BatchMeta;
  /** markOf(seq, firstUnackedSeq), precomputed. */
  readonly mark: number;
  readonly payloadBytes: number;
  head: Buffer | undefined;
  body: Buffer | undefined;
  settled: boolean;
  /** Where it was written: set once durable, before the waiters resolve. */
  at: RecordSpan | undefined;
  /** The append that stored it, then any duplicate that arrived while it was being written. */
  readonly waiters: Array<{ resolve(): void; reject(e: VigieError): void }>;
}

export interface CommitterHooks {
  /** After fdatasync, in append order, before the write's waiters resolve. */
  durable(w: PendingWrite): void;
  /** The write was not stored; before its waiters reject. */
  failed(w: PendingWrite): void;
}

export type CommitterConfig = Required<Pick<ArchiveOptions, 'dir' | 'segmentBytes' | 'groupCommitMs' | 'fsync' | 'compressionLevel'>> &
  Pick<ArchiveOptions, 'faultHook'>;

const MAX_FLUSH_RECORDS = 1024;
const MAX_FLUSH_BYTES = 16 << 20;

const recordLength = (w: PendingWrite): number => (w.head?.length ?? 0) + (w.body?.length ?? 0);

async function writeAll(fh: FileHandle, bufs: Buffer[], position: number, total: number): Promise<void> {
  let done = (await fh.writev(bufs, position)).bytesWritten;
  if (done === total) return;
  const all = Buffer.concat(bufs); // a short write: rare, so the copy does not matter
  while (done < total) {
    const { bytesWritten } = await fh.write(all, done, total - done, position + done);
    if (bytesWritten === 0) throw new Error('write made no progress');
    done += bytesWritten;
  }
}

export class Committer {
  /** Accepted and not yet taken by a flush, in append order. */
  private readonly queue: PendingWrite[] = [];
  private inFlight = 0;
  private queuedBytes = 0;
  private flushing = false;
  private closing = false;
  private timer: NodeJS.Timeout | undefined;
  private idleWaiters: Array<() => void> = [];
  private active: { seg: Segment; fh: FileHandle } | undefined;
  broken: VigieError | undefined;
  flushes = 0;
  private readonly compressor: WorkerCompressor;
  /** Records accepted whose compression has not come back yet. */
  private compressing = 0;

  constructor(
    private readonly cfg: CommitterConfig,
    private readonly segments: Segment[],
    private nextSegment: number,
    private readonly hooks: CommitterHooks,
  ) {
    this.compressor = new WorkerCompressor(cfg.compressionLevel);
  }

  /** The highest segment number used so far (numbers never go back, also after a sweep). */
  get lastSegment(): number {
    return this.nextSegment - 1;
  }

  get pendingCount(): number {
    return this.queue.length + this.inFlight;
  }

  /** Raw payload bytes accepted and not yet durable. */
  get pendingBytes(): number {
    return this.queuedBytes;
  }

  /** Compression runs on a worker thread (see compressor.ts); records still reach the file in append order. */
  enqueue(w: PendingWrite, payload: Uint8Array): void {
    this.queue.push(w);
    this.queuedBytes += w.payloadBytes;
    this.compressing++;
    this.compressor.compress(payload, (err, body) => {
      this.compressing--;
      if (w.settled) return; // the committer broke meanwhile
      if (err || !body) {
        this.queue.splice(this.queue.indexOf(w), 1);
        this.settle([w], new VigieError('VIGIE_ARCHIVE_IO', `compression failed: ${err?.message ?? 'no output'}`, { sensor: w.meta.sensorId }));
        this.checkIdle();
      } else {
        w.body = body;
        w.head = encodeHead(w.meta, body, payload.length);
      }
      this.schedule();
    });
  }

  /** Flushes everything accepted so far, seals the active segment and stops. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.schedule();
    await new Promise<void>((resolve) => {
      this.idleWaiters.push(resolve);
      this.checkIdle();
    });
    await this.seal();
    await this.compressor.close();
  }

  private schedule(): void {
    if (this.flushing || this.timer || this.broken) return;
    const head = this.queue[0];
    if (!head?.body) return;
    // Flush now when nothing is still being compressed (an idle engine acks at once); otherwise
    // wait up to groupCommitMs for the records in compression, so that one fdatasync covers them.
    const wait = this.closing || this.cfg.groupCommitMs === 0 || this.compressing === 0 ? 0 : this.cfg.groupCommitMs;
    if (wait <= 0) this.startFlush();
    else {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.startFlush();
      }, wait);
    }
  }

  private startFlush(): void {
    if (this.flushing || this.broken || !this.queue[0]?.body) return;
    this.flushing = true;
    // flush() never rejects: every failure is settled into the writes' promises.
    void this.flush().then(() => {
      this.flushing = false;
      this.schedule();
      this.checkIdle();
    });
  }

  private checkIdle(): void {
    if (this.flushing || (this.queue.length > 0 && !this.broken)) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private async flush(): Promise<void> {
    const firstLength = recordLength(this.queue[0]!);
    const rotate = this.active !== undefined && this.active.seg.bytes > 0 && this.active.seg.bytes + firstLength > this.cfg.segmentBytes;
    const room = rotate || !this.active ? this.cfg.segmentBytes : this.cfg.segmentBytes - this.active.seg.bytes;
    let n = 0;
    let total = 0;
    const bufs: Buffer[] = [];
    for (const w of this.queue) {
      if (!w.body || !w.head || n === MAX_FLUSH_RECORDS) break;
      const len = recordLength(w);
      if (n > 0 && (total + len > room || total + len > MAX_FLUSH_BYTES)) break;
      bufs.push(w.head, w.body);
      total += len;
      n++;
    }
    const batch = this.queue.splice(0, n);
    this.inFlight = n;
    let written: { seg: Segment; fh: FileHandle } | undefined;
    let at = 0;
    try {
      if (rotate) await this.seal();
      if (!this.active) await this.openSegment();
      written = this.active!;
      at = written.seg.bytes;
      this.cfg.faultHook?.('write');
      await writeAll(written.fh, bufs, at, total);
      if (this.cfg.fsync) {
        this.cfg.faultHook?.('sync');
        await written.fh.datasync();
      }
    } catch (e) {
      const err = new VigieError('VIGIE_ARCHIVE_IO', `archive write failed: ${(e as Error).message}`, { file: this.cfg.dir });
      if (written) await this.undo(written.fh, at);
      this.inFlight = 0;
      this.settle(batch, err);
      return;
    }
    this.flushes++;
    const seg = written.seg;
    seg.bytes += total;
    let offset = at;
    for (const w of batch) {
      const end = offset + recordLength(w);
      w.at = { segment: seg.n, offset, end };
      offset = end;
      countRecord(seg, w.meta);
      seg.keys?.add(w.meta.sensorId, w.meta.seq, w.mark);
    }
    this.inFlight = 0;
    this.settle(batch, undefined);
    if (seg.bytes >= this.cfg.segmentBytes) await this.seal();
  }

  /** Cuts a failed flush off the file, or breaks the committer if even that fails. */
  private async undo(fh: FileHandle, at: number): Promise<void> {
    try {
      this.cfg.faultHook?.('truncate');
      await fh.truncate(at);
      if (this.cfg.fsync) await fh.datasync();
    } catch (e) {
      this.broken = new VigieError('VIGIE_ARCHIVE_IO', `archive write failed and could not be undone (${(e as Error).message}); reopen the archive`, { file: this.cfg.dir });
      const queued = this.queue.splice(0);
      this.settle(queued, this.broken);
      const a = this.active;
      this.active = undefined;
      await a?.fh.close().catch(() => undefined);
    }
  }

  private settle(writes: PendingWrite[], err: VigieError | undefined): void {
    for (const w of writes) {
      if (w.settled) continue;
      w.settled = true;
      this.queuedBytes -= w.payloadBytes;
      if (err) this.hooks.failed(w);
      else this.hooks.durable(w);
      for (const waiter of w.waiters) {
        if (err) waiter.reject(err);
        else waiter.resolve();
      }
    }
  }

  private async openSegment(): Promise<void> {
    const n = this.nextSegment++;
    const path = join(this.cfg.dir, segmentName(n));
    const fh = await open(path, 'wx');
    try {
      // The new name must be durable before any record in it is acked.
      if (this.cfg.fsync) await syncDir(this.cfg.dir);
    } catch (e) {
      await fh.close().catch(() => undefined);
      throw e;
    }
    const seg: Segment = { n, bytes: 0, records: 0, events: 0, oldestMs: -1, newestMs: -1, sealed: false, keys: new SegmentKeys() };
    this.segments.push(seg);
    this.active = { seg, fh };
  }

  /** Closes the active segment for good and writes its sidecar. Never throws. */
  private async seal(): Promise<void> {
    const a = this.active;
    if (!a) return;
    this.active = undefined;
    const { seg } = a;
    seg.sealed = true;
    const keys = seg.keys?.digest() ?? {};
    seg.keys = undefined;
    await a.fh.close().catch(() => undefined);
    if (seg.bytes === 0) {
      // Only a failed first write leaves an empty segment: drop it.
      this.segments.splice(this.segments.indexOf(seg), 1);
      await rm(join(this.cfg.dir, segmentName(seg.n)), { force: true }).catch(() => undefined);
      return;
    }
    const { bytes, records, events, oldestMs, newestMs } = seg;
    // A missing sidecar only costs a scan at the next open.
    await writeSidecar(this.cfg.dir, seg.n, { bytes, records, events, oldestMs, newestMs, keys }).catch(() => undefined);
  }
}
