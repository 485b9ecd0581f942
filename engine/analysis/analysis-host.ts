/**
 * The main thread's side of the analysis threads. Batches are sharded by sensor (a hash of the
 * sensor id), so each host's batches reach one thread, in order, and its process table lives
 * there. Batches are posted in groups (all those archived in one turn of the event loop: one
 * message per thread). At most `highWater` batches may be waiting in all threads; above that
 * `full` is true and the analysis feed stops handing batches over until half of them are done
 * (it reads them from the archive then: ingest never waits). The threads run at a lower CPU
 * priority (`nice`) than ingest. A thread that dies (a bug in a stage) is restarted; the
 * batches it held are counted as dropped from analysis (they are in the archive).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { VigieError, type Result } from '../../common/errors.js';
import type { Logger, LogLevel } from '../../common/log.js';
import type { ModelCommand } from '../score/model-command.js';
import type { ModelCard } from '../../models/model-card.js';
import type { DetectionSink } from '../detect/detection.js';
import type { ArchivedBatch } from '../pipeline/stage.js';
import type { AnalysisWorkerData, FromWorker, ToWorker } from './analysis-worker.js';
import type { Downstream } from './downstream.js';
import { Fifo } from './fifo.js';
import { withSharedRarity, type StageOptions } from './stages.js';

type Counters = Record<string, Record<string, number>>;
type Info = Record<string, Record<string, string>>;

/** The compiled worker. From source (tests), the compiled copy in dist/: `npm test` builds first. */
function workerPath(): string {
  const here = new URL(import.meta.url);
  const url = here.pathname.endsWith('.ts') ? new URL('../../dist/engine/analysis/analysis-worker.js', here) : new URL('./analysis-worker.js', here);
  return fileURLToPath(url);
}

/** FNV-1a: a stable shard for a sensor id. */
function shardOf(sensorId: string, shards: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < sensorId.length; i++) h = Math.imul(h ^ sensorId.charCodeAt(i), 0x01000193);
  return (h >>> 0) % shards;
}

class AnalysisThread {
  worker!: Worker;
  outbox: ArchivedBatch[] = [];
  held = 0;
  /** The push ordinals of the batches it holds, oldest first: a thread works in order. */
  ordinals = new Fifo<number>();
  last: Counters = {};
  lastInfo: Info = {};
  restarts = 0;
  droppedOnCrash = 0;
  readonly flushWaiters = new Map<number, () => void>();
  readonly swapWaiters = new Map<number, (r: Result<ModelCard | undefined> | undefined) => void>();
  /** Resolves when the thread's stages have started (models loaded), or it exited trying. */
  started!: Promise<void>;
  markStarted: () => void = () => {};

  constructor(private readonly host: AnalysisHost, private readonly path: string, private readonly data: AnalysisWorkerData) {
    this.spawn();
  }

  spawn(): void {
    this.started = new Promise((resolve) => { this.markStarted = resolve; });
    const worker = new Worker(this.path, { workerData: this.data, name: 'vigie-analysis' });
    worker.on('message', (m: FromWorker) => this.host.onMessage(this, m));
    worker.on('error', (e) => this.host.log.error('analysis thread failed', { error: e }));
    worker.on('exit', (code) => this.host.onExit(this, code));
    this.worker = worker;
  }
}

export class AnalysisHost implements Downstream {
  private readonly threads: AnalysisThread[];
  private posting = false;
  private inFlight = 0;
  private pushed = 0;
  private roomWaiters: Array<() => void> = [];
  private nextFlush = 1;
  private closing = false;

  constructor(stages: StageOptions, private readonly sink: DetectionSink, readonly log: Logger, logLevel: LogLevel, private readonly highWater = 256, threads = 2, nice = 0) {
    const path = workerPath();
    if (!existsSync(path)) {
      throw new VigieError('VIGIE_CONFIG_INVALID', `analysis thread code not found at ${path}: run \`npm run build\`, or set analysisThreads to 0`, { field: 'analysisThreads' });
    }
    // One set of rarity counters for all the threads (each extracts its own sensors' features).
    const data: AnalysisWorkerData = { stages: withSharedRarity(stages), logLevel, nice };
    this.threads = Array.from({ length: Math.max(1, threads) }, () => new AnalysisThread(this, path, data));
  }

  push(batch: ArchivedBatch): void {
    const t = this.threads[shardOf(batch.sensorId, this.threads.length)]!;
    t.outbox.push(batch);
    t.ordinals.push(this.pushed++);
    t.held++;
    this.inFlight++;
    if (!this.posting) {
      this.posting = true;
      setImmediate(() => this.post());
    }
  }

  private post(): void {
    this.posting = false;
    for (const t of this.threads) {
      if (t.outbox.length === 0) continue;
      const items = t.outbox;
      t.outbox = [];
      t.worker.postMessage({ t: 'batches', items } satisfies ToWorker);
    }
  }

  /** Resolves when every thread has started its stages (the score stage has loaded its models). */
  async start(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.started));
  }

  onMessage(t: AnalysisThread, m: FromWorker): void {
    t.last = m.counters;
    t.lastInfo = m.info;
    if (m.t === 'started') {
      t.markStarted();
    } else if (m.t === 'swapped') {
      t.swapWaiters.get(m.id)?.(m.result);
      t.swapWaiters.delete(m.id);
    } else if (m.t === 'done') {
      if (m.detections.length > 0) this.sink.add(m.detections);
      t.held -= m.n;
      t.ordinals.drop(m.n);
      this.inFlight -= m.n;
      this.release(false);
    } else {
      t.flushWaiters.get(m.id)?.();
      t.flushWaiters.delete(m.id);
    }
  }

  onExit(t: AnalysisThread, code: number): void {
    if (this.closing) return;
    // Whatever it held is archived but not analysed: count it, release everyone, start again.
    t.droppedOnCrash += t.held;
    this.inFlight -= t.held;
    t.held = 0;
    t.ordinals = new Fifo<number>();
    t.outbox = [];
    t.restarts++;
    this.log.error('analysis thread exited; restarting', { code, restarts: t.restarts });
    this.release(true);
    for (const resolve of t.flushWaiters.values()) resolve();
    t.flushWaiters.clear();
    // A swap in flight on the dead thread has no answer; the new thread loads the configured models.
    for (const resolve of t.swapWaiters.values()) resolve(undefined);
    t.swapWaiters.clear();
    t.markStarted();
    t.spawn();
  }

  /** The oldest batch some thread still holds marks the end of the done prefix. */
  get doneInOrder(): number {
    let oldest = this.pushed;
    for (const t of this.threads) {
      const front = t.ordinals.peek();
      if (front !== undefined && front < oldest) oldest = front;
    }
    return oldest;
  }

  get full(): boolean {
    return this.inFlight >= this.highWater;
  }

  waitForRoom(): Promise<void> {
    if (!this.full) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  private release(all: boolean): void {
    if (this.roomWaiters.length === 0 || (!all && this.inFlight > this.highWater / 2)) return;
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const w of waiters) w();
  }

  /** Per-stage counters summed over the threads. */
  counters(): Counters {
    const sum: Counters = {};
    for (const t of this.threads) {
      for (const [stage, values] of Object.entries(t.last)) {
        const into = (sum[stage] ??= {});
        for (const [k, v] of Object.entries(values)) into[k] = (into[k] ?? 0) + v;
      }
    }
    sum['runner'] = {
      ...(sum['runner'] ?? {}),
      threads: this.threads.length,
      queued: this.inFlight,
      thread_restarts: this.threads.reduce((n, t) => n + t.restarts, 0),
      dropped_on_crash: this.threads.reduce((n, t) => n + t.droppedOnCrash, 0),
    };
    return sum;
  }

  /** Per-stage info (model versions); where threads disagree (a swap failed on one), both, comma-separated. */
  info(): Info {
    const out: Info = {};
    for (const t of this.threads) {
      for (const [stage, values] of Object.entries(t.lastInfo)) {
        const into = (out[stage] ??= {});
        for (const [k, v] of Object.entries(values)) {
          const seen = into[k];
          into[k] = seen === undefined || seen.split(',').includes(v) ? v : `${seen},${v}`;
        }
      }
    }
    return out;
  }

  /**
   * Each thread loads the model beside its running one and swaps on success. The threads load the
   * same bytes, so they agree; the first refusal is returned (a thread that died meanwhile
   * restarts on the configured models, and says so in info()).
   */
  async swapModel(source: string | Uint8Array, kind?: 'process' | 'network'): Promise<Result<ModelCard>> {
    const r = await this.modelCommand({ op: 'swap', source, ...(kind ? { kind } : {}) });
    if (r.ok && !r.value) return { ok: false, error: { code: 'VIGIE_MODEL_FAILED', message: 'the swap loaded no model' } };
    return r as Result<ModelCard>;
  }

  /** Sends the command to every thread; the first refusal is returned. */
  async modelCommand(command: ModelCommand): Promise<Result<ModelCard | undefined>> {
    const results = await Promise.all(this.threads.map((t) => new Promise<Result<ModelCard | undefined> | undefined>((resolve) => {
      const id = this.nextFlush++;
      t.swapWaiters.set(id, resolve);
      t.worker.postMessage({ t: 'model', id, command } satisfies ToWorker);
    })));
    const refused = results.find((r) => r !== undefined && !r.ok);
    if (refused) return refused;
    const done = results.find((r) => r !== undefined);
    return done ?? { ok: false, error: { code: 'VIGIE_MODEL_FAILED', message: 'the analysis threads exited during the model change' } };
  }

  async flush(close = false): Promise<void> {
    this.post();
    await Promise.all(this.threads.map((t) => new Promise<void>((resolve) => {
      const id = this.nextFlush++;
      t.flushWaiters.set(id, resolve);
      t.worker.postMessage({ t: 'flush', id, close } satisfies ToWorker);
    })));
  }

  async close(): Promise<void> {
    await this.flush(true);
    this.closing = true;
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }
}
