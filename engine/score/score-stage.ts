/**
 * The score stage: events -> feature rows (models/features) -> micro-batches -> one ONNX run per
 * micro-batch -> relative scores combined along the process tree (models/score/lineage.ts) ->
 * detections with their evidence.
 *
 * Per batch (tenant, host = sensor id) the extractor writes process rows (one per process start)
 * and network rows (one per closed network window); the rows are copied into their kind's
 * micro-batcher in one call, with one tag for all of them (row-group.ts: sensor, seq, the rows'
 * events) and, beside each row, its refs (FeatureRows.refs: its event's index, its process's and
 * parent's slot and serial), so no batch is held after process() returns: only the events of
 * rows still waiting, for at most maxDelayMs. Nothing is allocated per row: lineage
 * finds a process by its slot (models/score/lineage.ts), and a row's tag, process key and explanations
 * are built only when it is a detection. The next micro-batch's run starts before a batch's
 * scores are consumed (micro-batcher.ts).
 * process() returns once its rows are queued, and waits only when both of a batcher's buffers are
 * full (backpressure: the stage runner, then ingest, wait).
 *
 * Units: a row's own score is raw / card.threshold (1 = at the threshold); lineage makes a child
 * inherit decay * its parent's score; a combined score above 1 is a detection. Process rows are
 * scored in event order (one batcher, one run at a time), so lineage sees parents before
 * children. Network rows look up their process's lineage when their own batch is scored: a window
 * scored before its process's batch inherits nothing from it (windows last minutes, process
 * batches at most maxDelayMs, so this is rare).
 */
import { ok, fail, type Result } from '../../common/errors.js';
import { processKey, type Event } from '../../common/events.js';
import type { Logger } from '../../common/log.js';
import {
  FEATURE_SCHEMA_VERSION, FeatureBatch, FeatureExtractor, NETWORK_LAYOUT, PROCESS_LAYOUT, REFS_PER_ROW, Ref, explainRow,
  type FeatureExtractorOptions, type RowLayout,
} from '../../models/features/index.js';
import type { ModelCard } from '../../models/model-card.js';
import { loadModel, type LoadedModel } from '../../models/onnx/index.js';
import { DEFAULT_LINEAGE_DECAY, LineageScores, type LineagePart } from '../../models/score/lineage.js';
import type { Detection, DetectionSink, ProcessSummary } from '../detect/detection.js';
import type { ProcessTable } from '../enrich/process-table.js';
import type { BatchStage, IngestedBatch, ModelSwap } from '../pipeline/stage.js';
import { DetectionExplainer, type Flagged } from './detection-explainer.js';
import type { MicroBatch } from './micro-batcher.js';
import { modelDetection } from './model-detection.js';
import type { ModelCommand } from './model-command.js';
import { MODEL_KINDS, ModelRoutes } from './model-routes.js';
import { ModelSlot } from './model-slot.js';
import type { ModelKind } from './model-source.js';
import { rowGroup, rowTag, type RowGroup } from './row-group.js';

export interface ScoreOptions {
  /** A path or 'none' (resolved by resolveModelSource: 'default' is not understood here). */
  processModel: string;
  networkModel: string;
  /** Micro-batch bounds: rows per run, and how long the first row of a batch may wait. */
  maxRows: number;
  maxDelayMs: number;
  /** Share of a parent's score a child inherits, in [0, 1); negative: the process model card's training.lineageDecay, else 0.9. */
  lineageDecay: number;
  /** Extractor options (rarity sketch size, windows...); plain data, it crosses to the analysis thread. */
  extractor?: FeatureExtractorOptions;
  /** How often (wall clock) network windows of hosts that went quiet are closed. Default 1 s. */
  drainEveryMs?: number;
  /**
   * Events the extractor learns from after a start before model detections are raised: the
   * rarity counters start empty, so at first everything is "never seen". Rows are scored (and
   * lineage learned) meanwhile; what would have been detections is counted. Default 0.
   */
  warmupEvents?: number;
}

const KINDS = MODEL_KINDS;

export class ScoreStage implements BatchStage, ModelSwap {
  readonly name = 'score';
  private readonly extractor: FeatureExtractor;
  private readonly out = new FeatureBatch();
  private readonly routes: ModelRoutes<RowGroup>;
  private lineage: LineageScores;
  private readonly drainEveryMs: number;
  private lastDrain = performance.now();
  private latestEventMs = 0;
  private readonly explainer: DetectionExplainer;
  private readonly count = { refused: 0, skippedEvents: 0, lineageResets: 0, warmupSuppressed: 0, extractedEvents: 0 };

  constructor(private readonly o: ScoreOptions, private readonly table: ProcessTable, sink: DetectionSink, private readonly log: Logger) {
    this.extractor = new FeatureExtractor(o.extractor);
    this.explainer = new DetectionExplainer(sink, log);
    this.routes = new ModelRoutes<RowGroup>((kind) => new ModelSlot<RowGroup>(
      { kind, featureNames: kind === 'process' ? PROCESS_LAYOUT.names : NETWORK_LAYOUT.names, maxRows: o.maxRows, maxDelayMs: o.maxDelayMs, refsWidth: REFS_PER_ROW },
      (model, batch, scores) => this.scored(kind, model, batch, scores), log));
    this.lineage = new LineageScores({ decay: o.lineageDecay >= 0 ? o.lineageDecay : DEFAULT_LINEAGE_DECAY });
    this.drainEveryMs = o.drainEveryMs ?? 1000;
  }

  /**
   * Loads the configured models. A model that does not load is logged with its typed error and
   * its kind is not scored: content must not take the engine down (the status shows 'none').
   */
  async start(): Promise<void> {
    for (const kind of KINDS) {
      const source = kind === 'process' ? this.o.processModel : this.o.networkModel;
      if (source === 'none') continue;
      const r = await this.swapModel(source, kind);
      if (!r.ok) this.log.error(`${kind} model refused at start: running without ${kind} scoring`, { code: r.error.code, message: r.error.message, location: r.error.location });
    }
  }

  /**
   * Loads a model beside the running one and puts it in place only if it loads and fits (its
   * kind, feature names and threshold); otherwise returns the typed error (VIGIE_MODEL_INVALID,
   * VIGIE_MODEL_SCHEMA) and the running model keeps scoring. `kind` defaults to the card's.
   */
  async swapModel(source: string | Uint8Array, kind?: ModelKind): Promise<Result<ModelCard>> {
    return this.loadInto(source, kind, false);
  }

  /**
   * Canary models (model-command.ts): a second model of a kind for the hosts a model rollout
   * has reached. Answers the card of the model loaded or promoted, or undefined.
   */
  async modelCommand(c: ModelCommand): Promise<Result<ModelCard | undefined>> {
    switch (c.op) {
      case 'swap':
        return this.loadInto(c.source, c.kind, false);
      case 'canary':
        return this.loadInto(c.source, c.kind, true);
      case 'route':
        this.routes.setHosts(c.kind, c.hosts);
        return ok(undefined);
      case 'promote': {
        const card = this.routes.canaryOf(c.kind)?.model?.card;
        if (!card || !(await this.routes.promote(c.kind))) return fail('VIGIE_ROLLOUT_STATE', `no ${c.kind} canary model to promote`);
        this.log.info('canary model promoted', { kind: c.kind, model: this.routes.stable[c.kind].version });
        return ok(card);
      }
      case 'drop':
        await this.routes.drop(c.kind);
        return ok(undefined);
    }
  }

  private async loadInto(source: string | Uint8Array, kind: ModelKind | undefined, canary: boolean): Promise<Result<ModelCard>> {
    const file = typeof source === 'string' ? source : `(${kind ?? 'model'} bytes)`;
    const loaded = await loadModel(source, { expectedSchema: FEATURE_SCHEMA_VERSION, source: file });
    if (!loaded.ok) {
      this.count.refused++;
      return loaded;
    }
    const model = loaded.value;
    const want = kind ?? model.card.kind;
    const slot = this.routes.stable[want];
    const fits = slot ? slot.fits(model.card, file) : fail<ModelCard>('VIGIE_MODEL_INVALID', `unknown model kind '${String(want)}'`, { file, field: 'kind' });
    if (!fits.ok) {
      this.count.refused++;
      await model.close();
      return fits;
    }
    if (canary) {
      await this.routes.setCanary(want, model);
      this.log.info('canary model in place', { kind: want, model: `${model.card.name}@${model.card.version}`, threshold: model.card.threshold });
      return ok(model.card);
    }
    this.adoptDecay(model.card);
    await slot.install(model);
    this.log.info('model in place', { kind: want, model: slot.version, threshold: model.card.threshold, lineageDecay: this.lineage.decay });
    return ok(model.card);
  }

  /** With lineageDecay from the card (negative setting), a process model with another decay restarts lineage. */
  private adoptDecay(card: ModelCard): void {
    if (this.o.lineageDecay >= 0 || card.kind !== 'process') return;
    const d = card.training['lineageDecay'];
    const decay = typeof d === 'number' && d >= 0 && d < 1 ? d : DEFAULT_LINEAGE_DECAY;
    if (decay === this.lineage.decay) return;
    this.lineage = new LineageScores({ decay });
    this.count.lineageResets++;
  }

  async process(batches: readonly IngestedBatch[]): Promise<void> {
    const p = this.routes.scores('process');
    const n = this.routes.scores('network');
    if (!p && !n) {
      for (const b of batches) this.count.skippedEvents += b.batch.events.length;
      return;
    }
    const out = this.out;
    for (const b of batches) {
      const events = b.batch.events;
      out.clear();
      this.extractor.extract(b.tenant, b.sensorId, events, out);
      this.count.extractedEvents += events.length;
      const last = Number(events[events.length - 1]?.timeMs ?? 0);
      if (last > this.latestEventMs) this.latestEventMs = last;
      await this.scoreRows(b.sensorId, b.tenant, b.seq, events, out);
    }
    if (performance.now() - this.lastDrain >= this.drainEveryMs) {
      this.lastDrain = performance.now();
      // Windows of hosts that went quiet: closed once the fleet's newest event is a whole window
      // past their end (slack for hosts whose clocks lag). seq and eventIndex are -1: no batch closed them.
      out.clear();
      this.extractor.drain(out, this.latestEventMs - this.extractor.options.windowMs);
      await this.scoreRows('', '', -1, [], out);
    }
  }

  /**
   * Hands extracted rows to the models' micro-batchers: the scoring half of process() (which is
   * extract + scoreRows), public so that benchmarks can time scoring on prepared rows.
   */
  async scoreRows(sensorId: string, tenant: string, seq: number, events: readonly Event[], out: FeatureBatch): Promise<void> {
    const rows = out.process;
    const ps = rows.count > 0 ? this.routes.slotFor('process', sensorId) : undefined;
    if (ps && rows.count > 0) {
      const full = ps.batcher.addGroup(rows.values, 0, rows.count, rowGroup(sensorId, tenant, seq, events, rows, undefined, this.warmingUp), rows.refs);
      if (full) await full;
    }
    const windows = out.network;
    const ns = windows.count > 0 ? this.routes.slotFor('network', sensorId) : undefined;
    if (ns && windows.count > 0) {
      const full = ns.batcher.addGroup(windows.values, 0, windows.count, rowGroup(sensorId, tenant, seq, events, windows, out.networkContexts, this.warmingUp), windows.refs);
      if (full) await full;
    }
  }

  /** Starts the added-latency windows afresh (after a warm-up, in benchmarks). */
  resetLatency(): void {
    for (const kind of KINDS) for (const s of this.routes.all(kind)) s.latency.clear();
  }

  /** True until the extractor has learned from `warmupEvents` events. */
  private get warmingUp(): boolean {
    return this.count.extractedEvents < (this.o.warmupEvents ?? 0);
  }

  /**
   * One scored micro-batch: relative scores, lineage in row order; rows above 1 become detections,
   * worded by one explain run over just those rows (detection-explainer.ts).
   */
  private scored(kind: ModelKind, model: LoadedModel, batch: MicroBatch<RowGroup>, score: Float32Array): void {
    const threshold = model.card.threshold;
    const lineage = this.lineage;
    const { tags, tagIndex, refs } = batch;
    let flagged: Flagged[] | undefined;
    for (let i = 0; i < batch.n; i++) {
      const own = score[i]! / threshold;
      // The process's and parent's slots and serials, written by the extractor and copied with the row.
      const o = i * REFS_PER_ROW;
      const combined = kind === 'process'
        ? lineage.processOf(refs[o + Ref.SLOT]!, refs[o + Ref.SERIAL]!, refs[o + Ref.PARENT_SLOT]!, refs[o + Ref.PARENT_SERIAL]!, own)
        : lineage.networkOf(refs[o + Ref.SLOT]!, refs[o + Ref.SERIAL]!, own);
      if (!(combined > 1)) continue;
      if (tags[tagIndex[i]!]!.warmingUp) {
        this.count.warmupSuppressed++;
        continue;
      }
      (flagged ??= []).push(this.flag(kind, model, batch, i, own, { score: combined, inherited: lineage.lastInherited }));
    }
    if (flagged) this.explainer.explain(model, batch.rows, flagged);
  }

  /**
   * Row i of a batch, above its threshold: everything its detection needs from the engine's state
   * now (tag, process key, the context of its words, ancestry), taken before the batch's buffers
   * are reused and the extractor moves on; the words wait for the row's contributions.
   */
  private flag(kind: ModelKind, model: LoadedModel, batch: MicroBatch<RowGroup>, i: number, own: number, part: LineagePart): Flagged {
    const tag = rowTag(batch.tags[batch.tagIndex[i]!]!, batch.rowIndex[i]!, batch.refs[i * REFS_PER_ROW + Ref.EVENT]!);
    const key = kind === 'process' ? processKey(tag.event?.processStart?.process) : tag.network!.processKey;
    const ancestry = this.ancestry(tag.sensorId, key);
    const decay = this.lineage.decay;
    const words = kind === 'process'
      ? wordsFor(PROCESS_LAYOUT, this.extractor.processContext(tag.tenant, tag.sensorId, tag.event!))
      : wordsFor(NETWORK_LAYOUT, tag.network!);
    return {
      row: i,
      detection: (values, contributions) => modelDetection({
        tag, card: model.card, own, part, decay, processKey: key, ancestry,
        explanations: contributions ? words(values, contributions) : [],
      }),
    };
  }

  private ancestry(sensorId: string, key: string): ProcessSummary[] {
    return this.table.ancestry(sensorId, key).map((n) => ({
      pid: n.pid, startTimeMs: n.startTimeMs, image: n.image, commandLine: n.commandLine, user: n.user,
    }));
  }

  /** Scores every row queued so far (process rows first, so network rows see their lineage) and raises their detections. */
  async flush(): Promise<void> {
    for (const s of this.routes.all('process')) await s.flush();
    for (const s of this.routes.all('network')) await s.flush();
    await this.explainer.flush();
  }

  /**
   * Scores what is queued, then releases the sessions. Network windows still open are not
   * scored (their events are in the archive; a replay scores them).
   */
  async close(): Promise<void> {
    for (const kind of KINDS) for (const s of this.routes.all(kind)) await s.close();
    await this.explainer.flush();
  }

  counters(): Record<string, number> {
    const c: Record<string, number> = {
      detections: this.explainer.count.detections,
      explain_runs: this.explainer.count.runs,
      explain_failed_runs: this.explainer.count.failedRuns,
      models_refused: this.count.refused,
      skipped_events: this.count.skippedEvents,
      warmup_suppressed: this.count.warmupSuppressed,
      lineage_resets: this.count.lineageResets,
      lineage_evicted: this.lineage.evicted,
    };
    for (const kind of KINDS) {
      const s = this.routes.stable[kind];
      const canary = this.routes.canaryOf(kind);
      c[`${kind}_canary_rows`] = canary?.count.rows ?? 0;
      c[`${kind}_canary_hosts`] = canary ? this.routes.canaryHosts(kind) : 0;
      c[`${kind}_rows`] = s.count.rows;
      c[`${kind}_added_latency_p99_ms`] = s.latency.quantile(0.99);
      c[`${kind}_runs`] = s.count.runs;
      c[`${kind}_failed_runs`] = s.count.failedRuns;
      c[`${kind}_swaps`] = s.count.swaps;
      c[`${kind}_waiting`] = s.batcher.pending;
      c[`${kind}_model_loaded`] = s.model ? 1 : 0;
    }
    return c;
  }

  info(): Record<string, string> {
    const r = this.routes;
    return {
      process_model: r.stable.process.version, network_model: r.stable.network.version,
      process_canary: r.canaryOf('process')?.version ?? 'none', network_canary: r.canaryOf('network')?.version ?? 'none',
      lineage_decay: String(this.lineage.decay),
    };
  }
}

/** The plain words of a row's top contributing features (those that added to its score), given its context. */
function wordsFor<C, N extends string>(layout: RowLayout<C, N>, context: C): (values: Float32Array, contributions: Float32Array) => string[] {
  return (values, contributions) => explainRow(layout, values, contributions, context, 3)
    // Features that did not add to the score say nothing about why it is high.
    .filter((e) => e.contribution > 0).map((e) => e.text);
}
