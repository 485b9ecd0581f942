/**
 * The analysis feed: how archived batches reach analysis without ever making ingest wait.
 *
 * A batch is acked once it is durably archived; then ingest hands it here. While the analysis
 * threads have room, the feed passes batches on as they are archived (live). When the threads are
 * full (a burst, a slow model), the feed falls behind: it stops taking batches from ingest (they
 * are in the archive) and reads the archive instead, from the first record it did not pass on,
 * as fast as the threads take them, until it has read everything stored, and goes live again.
 * So a burst that analysis cannot follow makes detections late, never slows acks, and loses
 * nothing; how late is in the status (analysis.behind, lag_bytes, lag_seconds).
 *
 * Restart: the place of the oldest record not yet analysed is saved beside the archive
 * (reader-analysis.json) every `checkpointMs` and at stop, and the next start reads the archive
 * from there: what was archived but not analysed when the engine stopped or crashed is analysed
 * after the restart. Records analysed after the last checkpoint before a crash are analysed
 * again (at least once). Retention keeps the segments from that place on (sweepFloor()).
 *
 * The feed must be its downstream's only pusher: the n-th batch it pushes is the downstream's
 * n-th (Downstream.doneInOrder counts in that order).
 */
import type { VigieProblem } from '../../common/errors.js';
import type { Logger } from '../../common/log.js';
import { after, comparePositions, type RecordPosition, type RecordSpan, type StoredRecord } from '../archive/index.js';
import type { ArchivedBatch } from '../pipeline/stage.js';
import type { Downstream } from './downstream.js';
import { Fifo } from './fifo.js';

/** What the feed reads: the engine's Archive. */
export interface FeedSource {
  storedRecordsFrom(from: RecordPosition, onProblem: (p: VigieProblem) => void): AsyncGenerator<StoredRecord>;
  tail(): RecordPosition;
  bytesAfter(p: RecordPosition): number;
  hasSegment(n: number): boolean;
  loadReaderPosition(name: string): Promise<RecordPosition | undefined | VigieProblem>;
  saveReaderPosition(name: string, p: RecordPosition): Promise<void>;
}

export interface AnalysisFeedOptions {
  /** How often the analysed place is saved, ms (default 1000). */
  checkpointMs?: number;
}

export interface FeedCounters {
  /** 1 while the feed reads the archive instead of taking batches from ingest. */
  behind: number;
  /** Archive bytes (compressed) stored after the feed's place: what analysis still has to read. */
  lag_bytes: number;
  /** Age of the newest batch passed on, while behind (0 when live). */
  lag_seconds: number;
  live_batches: number;
  replayed_batches: number;
  /** Batches archived while behind (left for the archive reader). */
  deferred_batches: number;
  /** Times the feed fell behind (or started behind, after a restart). */
  catchups: number;
  /** Damaged or unreadable records met while reading the archive (skipped, logged). */
  read_problems: number;
  checkpoints: number;
}

const READER = 'analysis';

function isProblem(v: RecordPosition | VigieProblem | undefined): v is VigieProblem {
  return v !== undefined && 'code' in v;
}

export class AnalysisFeed {
  private cursor: RecordPosition = { segment: 0, offset: 0 };
  private behind = false;
  private stopping = false;
  private loop: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Start positions of the batches pushed and maybe not done, oldest first (the front's push ordinal: handed.dropped). */
  private readonly handed = new Fifo<RecordPosition>();
  private lastReceivedMs = 0;
  private saved: RecordPosition | undefined;
  private saving: Promise<void> | undefined;
  private readonly checkpointMs: number;
  private readonly c = { live: 0, replayed: 0, deferred: 0, catchups: 0, problems: 0, checkpoints: 0 };

  constructor(
    private readonly source: FeedSource,
    private readonly downstream: Downstream,
    private readonly log: Logger,
    o: AnalysisFeedOptions = {},
  ) {
    this.checkpointMs = Math.max(10, o.checkpointMs ?? 1000);
  }

  /**
   * Finds where analysis stopped last time and starts reading from there when the archive holds
   * more. On a first start (no saved place) analysis begins with what arrives now.
   */
  async start(): Promise<void> {
    const saved = await this.source.loadReaderPosition(READER);
    const tail = this.source.tail();
    if (isProblem(saved)) {
      this.c.problems++;
      this.log.warn('analysis place unreadable; analysis starts at the end of the archive', { code: saved.code, message: saved.message, ...saved.location });
      this.cursor = tail;
    } else if (saved === undefined) {
      this.cursor = tail;
    } else if (comparePositions(saved, tail) > 0) {
      this.log.warn('analysis place is past the end of the archive (archive replaced?); starting at its end', { saved, tail });
      this.cursor = tail;
    } else {
      this.cursor = saved;
      if (!this.source.hasSegment(saved.segment) && this.source.bytesAfter(saved) > 0) {
        this.c.problems++;
        this.log.warn('the segment analysis stopped in is gone (retention or deleted by hand); analysis resumes at the next one', { segment: saved.segment });
      }
    }
    await this.checkpoint();
    if (this.source.bytesAfter(this.cursor) > 0) {
      this.log.info('analysis resumes from the archive', { lagBytes: this.source.bytesAfter(this.cursor) });
      this.fallBehind();
    }
    this.timer = setInterval(() => void this.checkpoint(), this.checkpointMs);
    this.timer.unref();
  }

  /** Ingest's hand-over: `batch` is durably archived at `at` and acked. */
  stored(batch: ArchivedBatch, at: RecordSpan): void {
    if (this.stopping) return; // in the archive: the next start reads it
    if (this.behind) {
      this.c.deferred++;
      return;
    }
    if (comparePositions(at, this.cursor) < 0) return; // read from the archive already
    if (this.downstream.full) {
      this.fallBehind();
      this.c.deferred++;
      return;
    }
    this.hand(batch, at);
    this.c.live++;
  }

  /** The first segment analysis still needs: the retention sweep keeps it and those after it. */
  sweepFloor(): number {
    return this.watermark().segment;
  }

  counters(): FeedCounters {
    return {
      behind: this.behind ? 1 : 0,
      lag_bytes: this.source.bytesAfter(this.cursor),
      lag_seconds: this.behind && this.lastReceivedMs > 0 ? Math.max(0, (Date.now() - this.lastReceivedMs) / 1000) : 0,
      live_batches: this.c.live,
      replayed_batches: this.c.replayed,
      deferred_batches: this.c.deferred,
      catchups: this.c.catchups,
      read_problems: this.c.problems,
      checkpoints: this.c.checkpoints,
    };
  }

  /**
   * Stops reading the archive, lets analysis finish what it holds, and saves the place: the next
   * start continues from it (what was deferred is read then). Call before the downstream closes.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.loop;
    await this.downstream.flush();
    await this.saving;
    await this.checkpoint();
  }

  private hand(batch: ArchivedBatch, at: RecordSpan): void {
    this.downstream.push(batch);
    this.handed.push({ segment: at.segment, offset: at.offset });
    this.cursor = after(at);
    this.lastReceivedMs = batch.receivedMs;
  }

  /** The start of the oldest record pushed and not done; the cursor when all are done. */
  private watermark(): RecordPosition {
    this.handed.drop(this.downstream.doneInOrder - this.handed.dropped);
    return this.handed.peek() ?? this.cursor;
  }

  /** Saves the watermark when it moved; one save at a time (a call during one waits for it). */
  private checkpoint(): Promise<void> {
    if (this.saving) return this.saving;
    const w = this.watermark();
    if (this.saved && comparePositions(w, this.saved) === 0) return Promise.resolve();
    this.saving = this.save(w).finally(() => {
      this.saving = undefined;
    });
    return this.saving;
  }

  private async save(w: RecordPosition): Promise<void> {
    try {
      await this.source.saveReaderPosition(READER, w);
      this.saved = w;
      this.c.checkpoints++;
    } catch (e) {
      this.log.error('analysis place not saved', { error: e });
    }
  }

  private fallBehind(): void {
    this.behind = true;
    if (this.loop) return;
    this.c.catchups++;
    this.loop = this.catchUp().finally(() => {
      this.loop = undefined;
    });
  }

  /** Reads the archive from the cursor until it has read everything stored, then goes live. */
  private async catchUp(): Promise<void> {
    while (!this.stopping) {
      try {
        if (await this.readPass()) return;
      } catch (e) {
        // An archive read failed (I/O): try again shortly, from the same place.
        this.c.problems++;
        this.log.error('analysis could not read the archive; retrying', { error: e, from: this.cursor });
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  /** One pass over what is stored after the cursor; true when caught up (now live) or stopping. */
  private async readPass(): Promise<boolean> {
    await this.downstream.waitForRoom();
    let read = 0;
    for await (const r of this.source.storedRecordsFrom(this.cursor, (p) => this.problem(p))) {
      if (this.stopping) return true;
      const { sensorId, tenant, seq, receivedMs } = r.meta;
      // Bodies go to the analysis threads as stored (they inflate them), each in its own buffer:
      // r.body is a view into the reader's window, and a view is posted with its whole buffer.
      this.hand({ sensorId, tenant, seq, receivedMs, payload: r.body.slice(), compressed: r.codec }, r.at);
      this.c.replayed++;
      read++;
      if (this.downstream.full) await this.downstream.waitForRoom();
    }
    if (this.stopping) return true;
    // Synchronously: no record can become durable between this test and going live.
    const left = this.source.bytesAfter(this.cursor);
    if (left === 0) {
      this.behind = false;
      return true;
    }
    if (read === 0) {
      // Bytes after the cursor, and not one readable record in them: damage. Skip to the end.
      this.c.problems++;
      this.log.error('analysis skips unreadable archive bytes', { from: this.cursor, bytes: left });
      this.cursor = this.source.tail();
    }
    return false;
  }

  private problem(p: VigieProblem): void {
    this.c.problems++;
    this.log.error('damaged archive record skipped by analysis', { code: p.code, message: p.message, ...p.location });
  }
}
