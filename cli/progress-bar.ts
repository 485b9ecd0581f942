/**
 * A progress bar for long work (training epochs, folds): redrawn in place on a terminal, one plain
 * line per step on a pipe (progress goes to stderr, so `--json` output on stdout stays clean).
 */
export class ProgressBar {
  constructor(private readonly out: NodeJS.WriteStream = process.stderr, private readonly width = 28) {}

  /** `done` of `total` steps, with a label and details after the bar. */
  update(label: string, done: number, total: number, details = ''): void {
    const share = total > 0 ? Math.min(1, done / total) : 0;
    const filled = Math.round(share * this.width);
    const bar = `${'#'.repeat(filled)}${'.'.repeat(this.width - filled)}`;
    const line = `${label} [${bar}] ${done}/${total}${details ? `  ${details}` : ''}`;
    if (this.out.isTTY) this.out.write(`\r\x1b[2K${line.slice(0, (this.out.columns ?? 200) - 1)}`);
    else this.out.write(`${line}\n`);
  }

  /** Ends the bar's line on a terminal. */
  done(): void {
    if (this.out.isTTY) this.out.write('\n');
  }
}
