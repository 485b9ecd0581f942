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
 * Rows are written straight into the batch's Float32Array (`reserve` hands out the offset), so the
 * hot path allocates nothing per row; each row carries a caller-defined tag (what the scores are
 * about: the event, its host) kept in a parallel array.
 */

export interface MicroBatch<T> {
  /** Row-major, `width` values per row; the first `n` rows are filled. */
  readonly rows: Float32Array;
  readonly n: number;
  readonly tags: readonly T[];
  /** performance.now() when each row was added (for the added-latency measurement). */
  readonly addedAt: Float64Array;
}

export interface MicroBatcherOptions {
  width: number;
  /** Size bound: a batch is scored as soon as it holds this many rows. */
  maxRows: number;
  /** Latency bound: a batch is scored at the latest this long after its first row arrived. */
  maxDelayMs: number;
}

export type ScoreBatch<T> = (batch: MicroBatch<T>) => Promise<void>;

class Buffer<T> {
  rows: Float32Array;
  tags: T[] = [];
  addedAt: Float64Array;
  n = 0;
  constructor(width: number, maxRows: number) {
    this.rows = new Float32Array(width * maxRows);
    this.addedAt = new Float64Array(maxRows);
  }
}

export class MicroBatcher<T> {
  private filling: Buffer<T>;
  private spare: Buffer<T>;
  private inFlight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failure: unknown;
  /** Batches scored, rows scored, and why batches were cut. */
  readonly count = { batches: 0, rows: 0, bySize: 0, byDelay: 0, byFlush: 0, failedBatches: 0 };

  constructor(private readonly o: MicroBatcherOptions, private readonly score: ScoreBatch<T>) {
    if (!(o.width > 0 && o.maxRows > 0 && o.maxDelayMs >= 0)) throw new Error('MicroBatcher: width and maxRows must be positive, maxDelayMs not negative');
    this.filling = new Buffer(o.width, o.maxRows);
    this.spare = new Buffer(o.width, o.maxRows);
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
   * `tagOf(i)` for i in 0..count. Copies in blocks; waits only when both buffers are full. The bulk
   * path of the stage (one call per extracted batch, not one await per row).
   */
  async addRows(values: Float32Array, from: number, count: number, tagOf: (i: number) => T): Promise<void> {
    const w = this.o.width;
    let i = 0;
    while (i < count) {
      while (this.filling.n >= this.o.maxRows) {
        if (this.inFlight) await this.inFlight;
        else this.cut('size');
      }
      const b = this.filling;
      const k = Math.min(count - i, this.o.maxRows - b.n);
      b.rows.set(values.subarray((from + i) * w, (from + i + k) * w), b.n * w);
      const now = performance.now();
      for (let j = 0; j < k; j++) {
        b.tags.push(tagOf(i + j));
        b.addedAt[b.n + j] = now;
      }
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
    try {
      await this.score({ rows: b.rows, n: b.n, tags: b.tags, addedAt: b.addedAt });
      this.count.batches++;
      this.count.rows += b.n;
    } catch (err) {
      // The scorer reports and counts its own failures; a batch that failed is not retried.
      this.count.failedBatches++;
      this.failure = err;
    } finally {
      b.n = 0;
      b.tags = [];
      this.inFlight = undefined;
      // Rows that arrived meanwhile: full → now; otherwise their own timer (or a new one) cuts them.
      if (this.filling.n >= this.o.maxRows) this.cut('size');
      else if (this.filling.n > 0 && this.timer === undefined) {
        const waited = performance.now() - (this.filling.addedAt[0] as number);
        const left = Math.max(0, this.o.maxDelayMs - waited);
        this.timer = setTimeout(() => this.cut('delay'), left);
        this.timer.unref?.();
      }
    }
  }
}
