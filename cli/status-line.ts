/**
 * A live one-line status on a terminal (rewritten in place every second); on a pipe or a file,
 * a plain line every `pipeEveryMs` so logs stay readable.
 */
export class StatusLine {
  private timer: NodeJS.Timeout | undefined;
  private lastPrinted = 0;

  constructor(private readonly render: () => string, private readonly out: NodeJS.WriteStream = process.stdout, private readonly pipeEveryMs = 10_000) {}

  start(intervalMs = 1000): void {
    this.timer = setInterval(() => this.tick(), intervalMs);
    this.timer.unref();
  }

  private tick(): void {
    const line = this.render();
    if (this.out.isTTY) {
      this.out.write(`\r\x1b[2K${line.slice(0, (this.out.columns ?? 200) - 1)}`);
    } else if (Date.now() - this.lastPrinted >= this.pipeEveryMs) {
      this.lastPrinted = Date.now();
      this.out.write(line + '\n');
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.out.isTTY) this.out.write('\n');
  }
}

/** How far analysis is behind the archive, when it is (engine/analysis/analysis-feed.ts); '' when live. */
export function analysisLag(a: { behind: number; lag_bytes: number; lag_seconds: number }): string {
  return a.behind ? ` | analysis behind ${(a.lag_bytes / 1e6).toFixed(1)} MB, ${a.lag_seconds.toFixed(0)} s` : '';
}

/** Events per second from a growing counter, sampled at each call. */
export class RateMeter {
  private last = 0;
  private lastAt = Date.now();
  rate = 0;

  sample(total: number): number {
    const now = Date.now();
    const dt = (now - this.lastAt) / 1000;
    if (dt > 0.2) {
      this.rate = (total - this.last) / dt;
      this.last = total;
      this.lastAt = now;
    }
    return this.rate;
  }
}
