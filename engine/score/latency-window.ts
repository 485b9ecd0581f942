/**
 * The latency micro-batching adds to a row (from the row's arrival in the batcher to its scores),
 * over the last `size` rows: a ring of plain numbers, percentiles computed when asked (status,
 * metrics, benchmarks), never per row. The analysis threads report counters after every group of
 * batches (progress messages), so a quantile is sorted at most once per `reuseMs` and answered
 * from that meanwhile: 2% of an analysis thread's samples in bench:ingest's profile were these
 * sorts.
 */
export class LatencyWindow {
  private readonly samples: Float64Array;
  private next = 0;
  private filled = 0;
  private cached: { q: number; value: number; atMs: number } | undefined;

  constructor(size = 8192, private readonly reuseMs = 200) {
    this.samples = new Float64Array(size);
  }

  add(ms: number): void {
    this.addRepeated(ms, 1);
  }

  /** `count` rows with the same latency (the rows of one group arrive together): one fill, not a write per row. */
  addRepeated(ms: number, count: number): void {
    const size = this.samples.length;
    let left = Math.min(count, size); // more than a window's worth: the window holds only this value
    while (left > 0) {
      const k = Math.min(left, size - this.next);
      this.samples.fill(ms, this.next, this.next + k);
      this.next = (this.next + k) % size;
      left -= k;
    }
    this.filled = Math.min(size, this.filled + count);
  }

  /** The q-quantile (0..1) of the samples held, nearest rank; 0 when empty. */
  quantile(q: number): number {
    if (this.filled === 0) return 0;
    const now = performance.now();
    const c = this.cached;
    if (c && c.q === q && now - c.atMs < this.reuseMs) return c.value;
    const sorted = this.samples.slice(0, this.filled).sort();
    const value = sorted[Math.min(this.filled - 1, Math.max(0, Math.ceil(q * this.filled) - 1))]!;
    this.cached = { q, value, atMs: now };
    return value;
  }

  clear(): void {
    this.next = 0;
    this.filled = 0;
    this.cached = undefined;
  }
}
