/**
 * Micro-batching for the ONNX scorer: one `run()` costs about 60 µs whatever the batch, so rows
 * are gathered and scored together, never one at a time. A batch is flushed when it holds
 * `maxRows` rows (size bound) or when its oldest row has waited `maxDelayMs` (latency bound), and
 * on `flush()` (teardown, tests).
 *
 * Two buffers: while one batch is being scored, rows gather in the other. When that one is full
 * too, `add` waits for the run in flight: backpressure reaches the analysis thread's stage runner,
 * then ingest (docs/ARCHITECTURE.md). Nothing is dropped here.
 *
 * Rows are written straight into the batch's Float32Array, so the hot path allocates nothing per
 * row. What the scores are about (the event, its host) is a caller-defined tag: one per row
 * (`add`, `addRows`), or one per group of rows (`addGroup`: the stage's path, one tag per
 * extracted batch), with each row's tag index and its index in the caller's rows in typed arrays.
 */

export interface MicroBatch<T> {
  /** Row-major, `width` values per row; the first `n` rows are filled. */
  readonly rows: Float32Array;
  readonly n: number;
  /**
   * The batch's tags: one per row added by add() or addRows(); one per addGroup() call whose rows
   * are in this batch (a group cut across two batches has its tag in both).
   */
  readonly tags: readonly T[];
  /** Per row: the index of its tag in `tags`. */
  readonly tagIndex: Int32Array;
  /** Per row: its index in the rows passed to addRows() or addGroup() (`from` + i); -1 for add(). */
  readonly rowIndex: Int32Array;
  /** performance.now() when each row was added (for the added-latency measurement). */
  readonly addedAt: Float64Array;
  /** Per row, `refsWidth` numbers given with it to addGroup() (0 when none were). */
  readonly refs: Float64Array;
}

export interface MicroBatcherOptions {
  width: number;
  /** Size bound: a batch is scored as soon as it holds this many rows. */
  maxRows: number;
  /** Latency bound: a batch is scored at the latest this long after its first row arrived. */
  maxDelayMs: number;
  /** Numbers per row the caller keeps beside the features (identities...), copied with them. Default 0. */
  refsWidth?: number;
}

/**
 * Scores a batch. It may resolve to a function that consumes the scores (thresholds, lineage,
 * detections): the batcher then starts the next batch's run before calling it, so the next
 * inference is already queued while this batch's JavaScript runs (onnxruntime-node runs a session
 * on the calling thread in a setImmediate callback; a runtime that ran it elsewhere would
 * overlap the two). The function is called synchronously, in batch order, and must not keep the
 * batch's arrays after it returns.
 */
export type ScoreBatch<T> = (batch: MicroBatch<T>) => Promise<void | (() => void)>;

class Buffer<T> {
  rows: Float32Array;
  tags: T[] = [];
  readonly tagIndex: Int32Array;
  readonly rowIndex: Int32Array;
  addedAt: Float64Array;
  readonly refs: Float64Array;
  n = 0;
  constructor(width: number, maxRows: number, refsWidth: number) {
    this.rows = new Float32Array(width * maxRows);
    this.tagIndex = new Int32Array(maxRows);
    this.rowIndex = new Int32Array(maxRows);
    this.addedAt = new Float64Array(maxRows);
    this.refs = new Float64Array(refsWidth * maxRows);
  }
}

export class MicroBatcher<T> {
  private filling: Buffer<T>;
  private spare: Buffer<T>;
  private inFlight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failure: unknown;
  private readonly refsWidth: number;
  /** Batches scored, rows scored, and why batches were cut. */
  readonly count = { batches: 0, rows: 0, bySize: 0, byDelay: 0, byFlush: 0, failedBatches: 0 };

  constructor(private readonly o: MicroBatcherOptions, private readonly score: ScoreBatch<T>) {
    if (!(o.width > 0 && o.maxRows > 0 && o.maxDelayMs >= 0)) throw new Error('MicroBatcher: width and maxRows must be positive, maxDelayMs not negative');
    this.refsWidth = o.refsWidth ?? 0;
    this.filling = new Buffer(o.width, o.maxRows, this.refsWidth);
    this.spare = new Buffer(o.width, o.maxRows, this.refsWidth);
  }

  /**
   * Room for one row: returns the row's offset in `rows()` (write `width` values there) after
   * waiting, when both buffers are busy, for the run in flight. Rows of one caller stay in order.
   */
  async add(tag: T, write: (rows: Float32Array, offset: number) => void): Promise<void> {
    while (this.filling.n >= this.o.maxRows) {
      if (this.inFlight) await this.inFlight;
      else this.cut('size');
    }
    const b = this.filling;
    write(b.rows, b.n * this.o.width);
    if (this.refsWidth > 0) b.refs.fill(0, b.n * this.refsWidth, (b.n + 1) * this.refsWidth);
    b.tagIndex[b.n] = b.tags.length;
    b.rowIndex[b.n] = -1;
    b.tags.push(tag);
    b.addedAt[b.n] = performance.now();
    b.n++;
    if (b.n === 1 && this.o.maxDelayMs > 0) {
      this.timer = setTimeout(() => this.cut('delay'), this.o.maxDelayMs);
      this.timer.unref?.();
    }
    if (b.n >= this.o.maxRows && !this.inFlight) this.cut('size');
    else if (this.o.maxDelayMs === 0 && !this.inFlight) this.cut('delay');
  }

  /**
   * Adds `count` rows at once: rows `from..from+count` of `values` (row-major, `width` each), tagged
   * `tagOf(i)` for i in 0..count. Copies in blocks; waits only when both buffers are full. Returns
   * a promise only then (nothing to await otherwise: the common case allocates no promise).
   */
  addRows(values: Float32Array, from: number, count: number, tagOf: (i: number) => T): Promise<void> | undefined {
    return this.bulk(values, from, 0, count, tagOf, undefined, undefined);
  }

  /**
   * addRows() with one tag for all `count` rows (the bulk path of the stage: one call and one tag
   * per extracted batch, nothing per row). A row finds its tag through `tagIndex` and its place
   * in `values` through `rowIndex`; keep what the tag refers to until the rows are scored.
   * `refs`, when given, holds `refsWidth` numbers per row of `values` (same row numbering),
   * copied into the batch's `refs` beside the rows.
   */
  addGroup(values: Float32Array, from: number, count: number, tag: T, refs?: Float64Array): Promise<void> | undefined {
    return this.bulk(values, from, 0, count, undefined, tag, refs);
  }

  /** Rows `from + done .. from + count`; synchronous until both buffers are full. */
  private bulk(values: Float32Array, from: number, done: number, count: number, tagOf: ((i: number) => T) | undefined,
    group: T | undefined, refs: Float64Array | undefined): Promise<void> | undefined {
    const w = this.o.width;
    const rw = this.refsWidth;
    let i = done;
    while (i < count) {
      if (this.filling.n >= this.o.maxRows) {
        if (this.inFlight) return this.bulkAfter(this.inFlight, values, from, i, count, tagOf, group, refs);
        this.cut('size');
        continue;
      }
      const b = this.filling;
      const k = Math.min(count - i, this.o.maxRows - b.n);
      b.rows.set(values.subarray((from + i) * w, (from + i + k) * w), b.n * w);
      if (rw > 0) {
        if (refs) b.refs.set(refs.subarray((from + i) * rw, (from + i + k) * rw), b.n * rw);
        else b.refs.fill(0, b.n * rw, (b.n + k) * rw);
      }
      const now = performance.now();
      if (tagOf) {
        for (let j = 0; j < k; j++) {
          b.tagIndex[b.n + j] = b.tags.length;
          b.tags.push(tagOf(i + j));
        }
      } else {
        // This part of the group, in this buffer: one tag.
        b.tagIndex.fill(b.tags.length, b.n, b.n + k);
        b.tags.push(group as T);
      }
      for (let j = 0; j < k; j++) b.rowIndex[b.n + j] = from + i + j;
      b.addedAt.fill(now, b.n, b.n + k);
      const wasEmpty = b.n === 0;
      b.n += k;
      i += k;
      if (wasEmpty && this.o.maxDelayMs > 0 && this.timer === undefined) {
        this.timer = setTimeout(() => this.cut('delay'), this.o.maxDelayMs);
        this.timer.unref?.();
      }
      if (b.n >= this.o.maxRows && !this.inFlight) this.cut('size');
      else if (this.o.maxDelayMs === 0 && !this.inFlight) this.cut('delay');
    }
    return undefined;
  }

  private async bulkAfter(wait: Promise<void>, values: Float32Array, from: number, done: number, count: number,
    tagOf: ((i: number) => T) | undefined, group: T | undefined, refs: Float64Array | undefined): Promise<void> {
    await wait;
    await this.bulk(values, from, done, count, tagOf, group, refs);
  }

  /** Rows waiting, not yet handed to the scorer. */
  get pending(): number {
    return this.filling.n;
  }

  /** Scores everything added so far; resolves when every run has finished. */
  async flush(): Promise<void> {
    while (this.inFlight || this.filling.n > 0) {
      if (this.inFlight) await this.inFlight;
      else this.cut('flush');
    }
  }

  /**
   * Resolves once the run in flight, if any, has ended and its scores have been consumed (what the
   * consumer started, e.g. an explain run on the same model, has started by then). Rows added
   * meanwhile are not waited for: that is flush().
   */
  async settled(): Promise<void> {
    if (this.inFlight) await this.inFlight;
  }

  /** The error of the last failed run, if any (runs never reject `add`). */
  get lastFailure(): unknown {
    return this.failure;
  }

  private cut(why: 'size' | 'delay' | 'flush'): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.inFlight || this.filling.n === 0) return; // the run in flight cuts again when it ends
    const b = this.filling;
    this.filling = this.spare;
    this.spare = b;
    if (why === 'size') this.count.bySize++;
    else if (why === 'delay') this.count.byDelay++;
    else this.count.byFlush++;
    this.inFlight = this.run(b);
  }

  private async run(b: Buffer<T>): Promise<void> {
    const batch: MicroBatch<T> = { rows: b.rows, n: b.n, tags: b.tags, tagIndex: b.tagIndex, rowIndex: b.rowIndex, addedAt: b.addedAt, refs: b.refs };
    let consume: void | (() => void) = undefined;
    let failed = false;
    try {
      consume = await this.score(batch);
    } catch (err) {
      // The scorer reports and counts its own failures; a batch that failed is not retried.
      failed = true;
      this.count.failedBatches++;
      this.failure = err;
    }
    // The buffer is free again (`batch` keeps n and tags): nothing is written to it before
    // consume() returns, which runs synchronously below, after the next run has started.
    b.n = 0;
    b.tags = [];
    this.inFlight = undefined;
    this.next();
    if (failed) return;
    try {
      consume?.();
      this.count.batches++;
      this.count.rows += batch.n;
    } catch (err) {
      this.count.failedBatches++;
      this.failure = err;
    }
  }

  /** After a run: rows that arrived meanwhile are cut now if full; otherwise their timer (or a new one) cuts them. */
  private next(): void {
    if (this.filling.n >= this.o.maxRows) this.cut('size');
    else if (this.filling.n > 0 && this.timer === undefined) {
      const waited = performance.now() - (this.filling.addedAt[0] as number);
      const left = Math.max(0, this.o.maxDelayMs - waited);
      this.timer = setTimeout(() => this.cut('delay'), left);
      this.timer.unref?.();
    }
  }
}
