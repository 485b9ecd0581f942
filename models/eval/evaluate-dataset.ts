/**
 * Detection quality of the anomaly models on a labelled dataset, per event kind, with the rarity
 * baseline beside them in the same run:
 *
 * - `crossValidate`: leave-datasets-out. Recordings (groups) are dealt into folds; for each fold a
 *   process model and a network model are trained (models/build/train-model.ts, benign rows of
 *   the other folds only) and score the held-out recordings. Features are extracted once over
 *   the whole stream in file order, as the engine would have seen it (rarity counters learn
 *   online from everything seen before, which is what they do in production).
 * - `scoreWithModels`: given trained models, scores every row (no training).
 *
 * Then, in stream order, lineage scores (models/score) combine each process with its ancestors and
 * each network window with its process, in relative units (score / the fold model's threshold).
 * Process events are scored by their row; network connection events by the row of the window
 * they fell in. The baseline is the mean of a row's rarity features: "how rarely seen is all this".
 */
import { fail, ok, type Result } from '../../common/errors.js';
import type { Event } from '../../common/events.js';
import type { LabelledEvents } from '../dataset/labelled-log.js';
import type { RowSet, RowSets } from '../dataset/row-sets.js';
import type { AutoencoderWeights } from '../autoencoder/weights.js';
import { FEATURE_LAYOUTS } from '../features/index.js';
import { DEFAULT_LINEAGE_DECAY } from '../score/lineage.js';
import { networkRowLineage, processRowLineage } from '../score/row-lineage.js';
import { scoreSet, trainModel, type TrainModelOptions } from '../build/train-model.js';
import { quantileSorted } from '../train/calibrate.js';
import { assignGroupFolds } from './cross-validation.js';
import { evaluateScores, metricsRecord } from './metrics.js';

export interface KindReport {
  events: number;
  malicious: number;
  /** Lineage-combined model scores: what the engine alerts on. */
  model: Record<string, number>;
  /** The model's own scores, without lineage. */
  model_own: Record<string, number>;
  baseline_rarity: Record<string, number>;
  /**
   * Leave-datasets-out only: each fold's model judged on its own held-out recordings (its own
   * threshold, as one deployed model is), averaged over the folds that hold both classes, and how
   * many did (`folds`). The pooled `model` figures rank every fold's scores together, in units of
   * each fold's threshold: stricter, and the headline.
   */
  model_fold_mean?: Record<string, number>;
  /**
   * Leave-datasets-out only: every fold's scores ranked together, as `model`, but in units of
   * each fold model's median score over its own benign training rows rather than its threshold.
   * A threshold is an extreme quantile (the 99th percentile or beyond), set by the few highest of
   * some hundreds of benign rows, and it varies from fold to fold far more than the models'
   * rankings do; the median is set by all of them. Within a fold, either unit gives the same
   * order: only how the folds interleave differs (docs/EVALUATION.md, "Other fold seeds").
   */
  model_pooled_median?: Record<string, number>;
  /** Why metrics are missing (e.g. no malicious event of this kind in the data). */
  problem?: string;
}

export interface DatasetReport {
  process: KindReport;
  network: KindReport;
  folds: number;
  groups: number;
  lineage_decay: number;
}

/** A trained model as evaluation sees it: raw scores of every row of a set, and its threshold. */
export interface RowScorer {
  readonly threshold: number;
  scoreAll(set: RowSet): Promise<Float64Array>;
}

/** A scorer over weights in plain JavaScript (the training-time reference, models/train/score-js.ts). */
export function weightsScorer(weights: AutoencoderWeights, threshold: number): RowScorer {
  return { threshold, scoreAll: async (set) => scoreSet(weights, set) };
}

/** Mean of the rarity columns of each row. */
export function rarityBaseline(set: RowSet): Float64Array {
  const layout = FEATURE_LAYOUTS[set.kind];
  const cols = layout.features.filter((f) => f.kind === 'rarity').map((f) => f.index);
  const out = new Float64Array(set.n);
  for (let r = 0; r < set.n; r++) {
    let s = 0;
    for (const c of cols) s += set.values[r * set.width + c]!;
    out[r] = cols.length > 0 ? s / cols.length : 0;
  }
  return out;
}

function report(scores: ArrayLike<number>, labels: readonly boolean[]): Result<Record<string, number>> {
  const m = evaluateScores(Float64Array.from(scores), labels);
  return m.ok ? ok(metricsRecord(m.value)) : m;
}

/** Metrics of each fold's events alone (`foldOf` a group's fold), averaged over the folds that have both classes. */
export function foldMean(scores: ArrayLike<number>, labels: readonly boolean[], groups: readonly string[], foldOf: ReadonlyMap<string, number>): Record<string, number> {
  const byFold = new Map<number, number[]>();
  groups.forEach((g, i) => {
    const f = foldOf.get(g);
    if (f !== undefined) (byFold.get(f) ?? byFold.set(f, []).get(f)!).push(i);
  });
  const sums: Record<string, number> = {};
  let folds = 0;
  for (const idx of byFold.values()) {
    const m = report(Float64Array.from(idx, (i) => scores[i]!), idx.map((i) => labels[i]!));
    if (!m.ok) continue;
    folds++;
    for (const [k, v] of Object.entries(m.value)) sums[k] = (sums[k] ?? 0) + v;
  }
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(sums)) out[k] = v / folds;
  out['folds'] = folds;
  return out;
}

/** Per-row scores of both kinds (own scores in one unit per fold, or their lineage combination). */
interface RowScores {
  process: Float64Array;
  network: Float64Array;
}

/** Out-of-fold scores: which fold each group was held out in, and the own scores in units of each fold's median benign training score. */
interface OutOfFold {
  foldOf: ReadonlyMap<string, number>;
  byMedian: RowScores;
}

/** Lineage-combined scores of process rows and of network rows (models/score/row-lineage.ts). */
function lineageOf(sets: RowSets, own: RowScores, decay: number): RowScores {
  const proc = processRowLineage(sets.process, own.process, decay);
  return { process: proc.process, network: networkRowLineage(sets.network, own.network, proc, decay) };
}

/** Per-event reports from per-row relative own scores (process and network); `oof` when the scores are out-of-fold. */
function summarise(data: LabelledEvents, sets: RowSets, own: RowScores, decay: number, folds: number, oof?: OutOfFold): Result<DatasetReport> {
  const events: readonly Event[] = data.events;
  const foldOf = oof?.foldOf;
  const { process: procLineage, network: netLineage } = lineageOf(sets, own, decay);
  const byMedian = oof ? lineageOf(sets, oof.byMedian, decay) : undefined;
  const procLabels = [...sets.process.malicious];
  const netEvents: number[] = [];
  events.forEach((e, i) => {
    if (e.network && sets.eventRow[i]! >= 0) netEvents.push(i);
  });
  const netLabels = netEvents.map((i) => (events[i]!.label ?? '') !== '');
  const perEvent = (rowScores: ArrayLike<number>) => Float64Array.from(netEvents, (i) => rowScores[sets.eventRow[i]!]!);
  const procBase = rarityBaseline(sets.process);
  const netBase = rarityBaseline(sets.network);
  const parts = {
    pm: report(procLineage, procLabels), po: report(own.process, procLabels), pb: report(procBase, procLabels),
    nm: report(perEvent(netLineage), netLabels), no: report(perEvent(own.network), netLabels), nb: report(perEvent(netBase), netLabels),
  };
  const v = (r: Result<Record<string, number>>) => (r.ok ? r.value : {});
  const kind = (labels: boolean[], m: typeof parts.pm, own: typeof parts.pm, base: typeof parts.pm, perFold: () => Record<string, number>,
    pooledByMedian: () => Result<Record<string, number>> | undefined): KindReport => {
    const failed = [m, own, base].find((r) => !r.ok);
    const byMedianReport = m.ok ? pooledByMedian() : undefined;
    return {
      events: labels.length, malicious: labels.filter(Boolean).length, model: v(m), model_own: v(own), baseline_rarity: v(base),
      ...(foldOf && m.ok ? { model_fold_mean: perFold() } : {}),
      ...(byMedianReport?.ok ? { model_pooled_median: byMedianReport.value } : {}),
      ...(failed && !failed.ok ? { problem: failed.error.message } : {}),
    };
  };
  const process = kind(procLabels, parts.pm, parts.po, parts.pb, () => foldMean(procLineage, procLabels, sets.process.groups, foldOf!),
    () => byMedian && report(byMedian.process, procLabels));
  const network = kind(netLabels, parts.nm, parts.no, parts.nb, () => foldMean(perEvent(netLineage), netLabels, netEvents.map((i) => data.groups[i]!), foldOf!),
    () => byMedian && report(perEvent(byMedian.network), netLabels));
  if (process.problem && network.problem) return fail('VIGIE_DATA_INVALID', `process events: ${process.problem}; network events: ${network.problem}`);
  return ok({
    process,
    network,
    folds,
    groups: new Set(data.groups).size,
    lineage_decay: decay,
  });
}

export interface CrossValidateOptions {
  folds?: number;
  seed?: number;
  train?: TrainModelOptions['train'];
  lineageDecay?: number;
  onFold?: (fold: number, folds: number, kind: string) => void;
}

/** Leave-datasets-out: see the module comment. */
export async function crossValidateDataset(data: LabelledEvents, sets: RowSets, o: CrossValidateOptions = {}): Promise<Result<DatasetReport>> {
  const decay = o.lineageDecay ?? DEFAULT_LINEAGE_DECAY;
  const assigned = assignGroupFolds(data.groups, { folds: o.folds ?? 5, seed: o.seed ?? 1 });
  if (!assigned.ok) return assigned;
  const foldOf = new Map<string, number>();
  for (const f of assigned.value) for (const g of f.testGroups) foldOf.set(g, f.index);
  const own: RowScores = { process: new Float64Array(sets.process.n), network: new Float64Array(sets.network.n) };
  const byMedian: RowScores = { process: new Float64Array(sets.process.n), network: new Float64Array(sets.network.n) };
  for (const fold of assigned.value) {
    for (const kind of ['process', 'network'] as const) {
      o.onFold?.(fold.index + 1, assigned.value.length, kind);
      const set = sets[kind];
      const trainIdx: number[] = [];
      const testIdx: number[] = [];
      set.groups.forEach((g, r) => (foldOf.get(g) === fold.index ? testIdx : trainIdx).push(r));
      if (testIdx.length === 0) continue;
      const trained = await trainModel(data.events, sets, { kind, train: o.train, lineageDecay: decay }, trainIdx);
      if (!trained.ok) return trained;
      const scores = trained.value.rowScores;
      const median = benignMedian(scores, trainIdx, set.malicious);
      for (const r of testIdx) {
        own[kind][r] = scores[r]! / trained.value.card.threshold;
        byMedian[kind][r] = median > 0 ? scores[r]! / median : 0;
      }
    }
  }
  return summarise(data, sets, own, decay, assigned.value.length, { foldOf, byMedian });
}

/** The median of `scores` over the benign ones of `rows` (a fold's training rows): the fold's unit for model_pooled_median; 0 when none is benign. */
export function benignMedian(scores: ArrayLike<number>, rows: readonly number[], malicious: readonly boolean[]): number {
  const benign = Float64Array.from(rows.filter((r) => !malicious[r]), (r) => scores[r]!).sort();
  return benign.length > 0 ? quantileSorted(benign, 0.5) : 0;
}

/** Scores every row with trained models (no training): relative scores, lineage, metrics. */
export async function scoreDatasetWithModels(
  data: LabelledEvents,
  sets: RowSets,
  models: { process: RowScorer; network: RowScorer },
  lineageDecay = DEFAULT_LINEAGE_DECAY,
): Promise<Result<DatasetReport>> {
  const rel = async (m: RowScorer, set: RowSet) => (await m.scoreAll(set)).map((s) => s / m.threshold);
  return summarise(data, sets, { process: await rel(models.process, sets.process), network: await rel(models.network, sets.network) }, lineageDecay, 0);
}
