/**
 * The main thread's side of the analysis thread. Archived batches are posted in groups (all the
 * batches archived in one turn of the event loop: one message, one copy of each payload). At most
 * `highWater` batches may be waiting there; above that `full` is true and ingest stops reading
 * until half of them are done (backpressure to the sensors, whose spools absorb it).
 * If the thread dies (a bug in a stage), it is restarted; the batches it held are counted as
 * dropped from analysis (they are in the archive).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { VigieError } from '../../common/errors.js';
import type { Logger, LogLevel } from '../../common/log.js';
import type { ArchivedBatch } from '../pipeline/stage.js';
import type { AnalysisWorkerData, FromWorker, ToWorker } from './analysis-worker.js';
import type { Downstream } from './downstream.js';
import type { StageOptions } from './stages.js';

/** The compiled worker. From source (tests), the compiled copy in dist/: `npm test` builds first. */
function workerPath(): string {
  const here = new URL(import.meta.url);
  const url = here.pathname.endsWith('.ts') ? new URL('../../dist/engine/analysis/analysis-worker.js', here) : new URL('./analysis-worker.js', here);
  return fileURLToPath(url);
}

export class AnalysisHost implements Downstream {
  private worker!: Worker;
  private outbox: ArchivedBatch[] = [];
  private posting = false;
  private inWorker = 0;
  private roomWaiters: Array<() => void> = [];
  private flushWaiters = new Map<number, () => void>();
  private nextFlush = 1;
  private last: Record<string, Record<string, number>> = {};
  private restarts = 0;
  private droppedOnCrash = 0;
  private closing = false;

  constructor(private readonly stages: StageOptions, private readonly log: Logger, private readonly logLevel: LogLevel, private readonly highWater = 256) {
    const path = workerPath();
    if (!existsSync(path)) {
      throw new VigieError('VIGIE_CONFIG_INVALID', `analysis thread code not found at ${path}: run \`npm run build\`, or set analysisThread to false`, { field: 'analysisThread' });
    }
    this.spawn(path);
  }

  private spawn(path: string): void {
    const data: AnalysisWorkerData = { stages: this.stages, logLevel: this.logLevel };
    const worker = new Worker(path, { workerData: data, name: 'vigie-analysis' });
    worker.on('message', (m: FromWorker) => this.onMessage(m));
    worker.on('error', (e) => this.log.error('analysis thread failed', { error: e }));
    worker.on('exit', (code) => {
      if (this.closing) return;
      // Whatever it held is archived but not analysed: count it, release everyone, start again.
      this.droppedOnCrash += this.inWorker;
      this.inWorker = 0;
      this.restarts++;
      this.log.error('analysis thread exited; restarting', { code, restarts: this.restarts });
      this.release(true);
      for (const resolve of this.flushWaiters.values()) resolve();
      this.flushWaiters.clear();
      this.spawn(path);
    });
    this.worker = worker;
  }

  push(batch: ArchivedBatch): void {
    this.outbox.push(batch);
    this.inWorker++;
    if (!this.posting) {
      this.posting = true;
      setImmediate(() => this.post());
    }
  }

  private post(): void {
    this.posting = false;
    if (this.outbox.length === 0) return;
    const items = this.outbox;
    this.outbox = [];
    this.worker.postMessage({ t: 'batches', items } satisfies ToWorker);
  }

  private onMessage(m: FromWorker): void {
    this.last = m.counters;
    if (m.t === 'done') {
      this.inWorker -= m.n;
      this.release(false);
    } else {
      this.flushWaiters.get(m.id)?.();
      this.flushWaiters.delete(m.id);
    }
  }

  get full(): boolean {
    return this.inWorker >= this.highWater;
  }

  waitForRoom(): Promise<void> {
    if (!this.full) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  private release(all: boolean): void {
    if (this.roomWaiters.length === 0 || (!all && this.inWorker > this.highWater / 2)) return;
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const w of waiters) w();
  }

  counters(): Record<string, Record<string, number>> {
    const runner = { ...(this.last['runner'] ?? {}), queued: this.inWorker, thread_restarts: this.restarts, dropped_on_crash: this.droppedOnCrash };
    return { ...this.last, runner };
  }

  async flush(): Promise<void> {
    this.post();
    const id = this.nextFlush++;
    await new Promise<void>((resolve) => {
      this.flushWaiters.set(id, resolve);
      this.worker.postMessage({ t: 'flush', id } satisfies ToWorker);
    });
  }

  async close(): Promise<void> {
    await this.flush();
    this.closing = true;
    await this.worker.terminate();
  }
}
