/**
 * One kind of model in the score stage (process or network): the session in use, its
 * micro-batcher, and its counters. The batcher outlives the sessions: rows are written in the
 * kind's feature layout, whichever model version scores them.
 *
 * Changing the model is a transaction (STYLE.md §15): the new session is loaded and checked
 * beside the running one (by the stage, see ScoreStage.swapModel), installed in one assignment,
 * and the old one is closed once its runs in flight are done. Each run takes the model in place
 * when it starts, so a batch is scored by one version, never half by each.
 */
import { fail, ok, type Result } from '../../common/errors.js';
import type { Logger } from '../../common/log.js';
import type { ModelCard } from '../../models/model-card.js';
import type { LoadedModel } from '../../models/onnx/index.js';
import { LatencyWindow } from './latency-window.js';
import { MicroBatcher, type MicroBatch } from './micro-batcher.js';
import type { ModelKind } from './model-source.js';

export interface SlotOptions {
  kind: ModelKind;
  /** The feature names this engine writes for the kind, in order (the layout's names). */
  featureNames: readonly string[];
  maxRows: number;
  maxDelayMs: number;
  /** Numbers per row kept beside the features (MicroBatcherOptions.refsWidth). Default 0. */
  refsWidth?: number;
}

/** What the stage does with a scored micro-batch's scores ([n], one per row): relative scores, lineage, detections. */
export type OnScores<T> = (model: LoadedModel, batch: MicroBatch<T>, scores: Float32Array) => void;

export class ModelSlot<T> {
  private current: LoadedModel | undefined;
  readonly batcher: MicroBatcher<T>;
  /** Rows scored, runs (one session.run each), failed runs, models installed after the first. */
  readonly count = { rows: 0, runs: 0, failedRuns: 0, swaps: 0 };
  /** Row arrival -> scores, over the last 8,192 rows (ms). */
  readonly latency = new LatencyWindow();

  constructor(private readonly o: SlotOptions, private readonly onScores: OnScores<T>, private readonly log: Logger) {
    this.batcher = new MicroBatcher<T>({ width: o.featureNames.length, maxRows: o.maxRows, maxDelayMs: o.maxDelayMs, refsWidth: o.refsWidth }, (b) => this.run(b));
  }

  get model(): LoadedModel | undefined {
    return this.current;
  }

  /** 'name@version', or 'none'. */
  get version(): string {
    return this.current ? `${this.current.card.name}@${this.current.card.version}` : 'none';
  }

  /**
   * Checks that a loaded model scores this kind's rows (kind, and the exact feature names in
   * order: the same schema version with another column order would score garbage).
   */
  fits(card: ModelCard, file: string): Result<ModelCard> {
    if (card.kind !== this.o.kind) {
      return fail('VIGIE_MODEL_SCHEMA', `the model scores ${card.kind} rows, not ${this.o.kind} rows`, { file, field: 'kind' });
    }
    const names = this.o.featureNames;
    const at = names.findIndex((n, i) => card.featureNames[i] !== n);
    if (card.featureNames.length !== names.length || at >= 0) {
      const i = at >= 0 ? at : Math.min(names.length, card.featureNames.length);
      return fail('VIGIE_MODEL_SCHEMA',
        `the model's feature ${i} is '${card.featureNames[i] ?? '(none)'}', this engine writes '${names[i] ?? '(none)'}' there (${card.featureNames.length} vs ${names.length} features)`,
        { file, field: 'featureNames' });
    }
    if (!(card.threshold > 0)) return fail('VIGIE_MODEL_INVALID', `the model's threshold must be positive, got ${card.threshold}`, { file, field: 'threshold' });
    return ok(card);
  }

  /**
   * Puts a checked model in place and closes the one it replaces once the batch it may be scoring
   * has been consumed (its detections' explain run, on the old model, has started by then) and
   * that model's runs in flight are done. The caller has run fits(); the swap itself cannot fail.
   */
  async install(model: LoadedModel): Promise<void> {
    const old = this.current;
    this.current = model;
    if (old) {
      this.count.swaps++;
      await this.batcher.settled();
      await old.close();
    }
  }

  /** Scores the rows added so far; resolves when every run is done. */
  flush(): Promise<void> {
    return this.batcher.flush();
  }

  /** Scores what is queued, then hands the model over without closing it (a canary promoted). */
  async release(): Promise<LoadedModel | undefined> {
    await this.batcher.flush();
    const m = this.current;
    this.current = undefined;
    return m;
  }

  /** Flushes, then releases the session. */
  async close(): Promise<void> {
    await this.batcher.flush();
    const m = this.current;
    this.current = undefined;
    await m?.close();
  }

  /**
   * One run; resolves to the consumer of its scores, which the batcher calls once the next run
   * has started (micro-batcher.ts): the next inference is queued before this JavaScript runs.
   */
  private async run(b: MicroBatch<T>): Promise<void | (() => void)> {
    const model = this.current;
    if (!model) return; // rows are only added while a model is in place; none is ever removed
    let scores: Float32Array;
    try {
      scores = await model.score(b.rows, b.n);
    } catch (e) {
      // One log line per failed run (never per row); the rows are archived, replay can rescore.
      this.count.failedRuns++;
      this.log.error('model run failed; its rows are not scored', { kind: this.o.kind, model: this.version, rows: b.n, error: e });
      throw e;
    }
    this.count.runs++;
    this.count.rows += b.n;
    return () => {
      this.onScores(model, b, scores);
      const now = performance.now();
      // Rows added together share their arrival time: one sample write per run of equal times.
      const at = b.addedAt;
      for (let i = 0; i < b.n;) {
        let j = i + 1;
        while (j < b.n && at[j] === at[i]) j++;
        this.latency.addRepeated(now - at[i]!, j - i);
        i = j;
      }
    };
  }
}
