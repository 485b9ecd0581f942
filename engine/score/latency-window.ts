/**
 * The latency micro-batching adds to a row (from the row's arrival in the batcher to its scores),
 * over the last `size` rows: a ring of plain numbers, percentiles computed when asked (status,
 * metrics, benchmarks), never per row.
 */
export class LatencyWindow {
  private readonly samples: Float64Array;
  private next = 0;
  private filled = 0;

  constructor(size = 8192) {
    this.samples = new Float64Array(size);
  }

  add(ms: number): void {
    this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.samples.length;
    if (this.filled < this.samples.length) this.filled++;
  }

  /** The q-quantile (0..1) of the samples held, nearest rank; 0 when empty. */
  quantile(q: number): number {
    if (this.filled === 0) return 0;
    const sorted = this.samples.slice(0, this.filled).sort();
    return sorted[Math.min(this.filled - 1, Math.max(0, Math.ceil(q * this.filled) - 1))]!;
  }

  clear(): void {
    this.next = 0;
    this.filled = 0;
  }
}
