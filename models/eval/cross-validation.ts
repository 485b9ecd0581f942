/**
 * Leave-groups-out cross-validation: a group is a dataset id (one capture, one host, one attack
 * run), and every row of a group lands in the same fold, so a model is never tested on rows
 * from a capture it trained on (rows of one capture are near-duplicates; mixing them would
 * inflate every metric).
 *
 * Fold assignment is deterministic: distinct group ids are sorted, shuffled with a seeded PRNG,
 * and dealt round-robin into `folds` folds (default: one fold per group, leave-one-group-out).
 * The caller's fitAndScore gets ALL training rows; an autoencoder should keep only the benign
 * ones (labels are the caller's), which this module does not presume.
 */
import { fail, ok, type Result, type VigieProblem } from '../../common/errors.js';
import { createPrng, shuffleInPlace } from '../train/prng.js';
import { DEFAULT_FPR_TARGETS, evaluateScores, type MetricsReport } from './metrics.js';

export interface Fold {
  index: number;
  testGroups: string[];
  trainIdx: Uint32Array;
  testIdx: Uint32Array;
}

/** Scores for testIdx, in testIdx order. A Result lets training failures pass through typed. */
export type FitAndScore = (
  trainIdx: Uint32Array,
  testIdx: Uint32Array,
  fold: Fold,
) => Promise<ArrayLike<number> | Result<ArrayLike<number>>> | ArrayLike<number> | Result<ArrayLike<number>>;

export interface CrossValidationOptions {
  /** Number of folds, 2..number of groups; default = number of groups. */
  folds?: number;
  /** Seeds the order in which groups are dealt into folds (default 1). */
  seed?: number;
  fprTargets?: readonly number[];
}

export interface FoldResult {
  index: number;
  testGroups: string[];
  trainRows: number;
  testRows: number;
  /** Absent when the fold cannot be evaluated alone (e.g. its groups are all benign): see problem. */
  metrics?: MetricsReport;
  problem?: VigieProblem;
}

export interface CrossValidationReport {
  folds: FoldResult[];
  /**
   * Metrics over every row's out-of-fold score at once. Pooling assumes scores from different
   * folds' models are comparable (same architecture and standardisation recipe); the per-fold
   * numbers are the check on that assumption.
   */
  pooled: MetricsReport;
  /** Unweighted mean of roc/pr AUC over the folds that could be evaluated. */
  meanRocAuc: number;
  meanPrAuc: number;
}

/** Deterministic group -> fold assignment. VIGIE_CONFIG_INVALID for fewer than 2 groups or a bad fold count. */
export function assignGroupFolds(groups: readonly string[], options: CrossValidationOptions = {}): Result<Fold[]> {
  const ids = [...new Set(groups)].sort();
  if (ids.length < 2) return fail('VIGIE_DATA_INVALID', `leave-groups-out needs at least 2 groups (dataset ids), got ${ids.length}`);
  const k = options.folds ?? ids.length;
  if (!Number.isInteger(k) || k < 2 || k > ids.length) {
    return fail('VIGIE_CONFIG_INVALID', `folds must be an integer in 2..${ids.length} (the number of groups), got ${k}`, { field: 'folds' });
  }
  const order = shuffleInPlace(ids.map((_, i) => i), createPrng(options.seed ?? 1));
  const foldOf = new Map<string, number>();
  order.forEach((idIndex, pos) => foldOf.set(ids[idIndex]!, pos % k));
  const folds: Fold[] = [];
  for (let f = 0; f < k; f++) {
    const test: number[] = [];
    const train: number[] = [];
    groups.forEach((g, i) => (foldOf.get(g) === f ? test : train).push(i));
    folds.push({ index: f, testGroups: ids.filter((id) => foldOf.get(id) === f), trainIdx: Uint32Array.from(train), testIdx: Uint32Array.from(test) });
  }
  return ok(folds);
}

/** Runs fitAndScore once per fold (sequentially: training is single-threaded and memory-heavy). */
export async function crossValidate(
  groups: readonly string[],
  labels: readonly boolean[],
  fitAndScore: FitAndScore,
  options: CrossValidationOptions = {},
): Promise<Result<CrossValidationReport>> {
  if (groups.length !== labels.length) return fail('VIGIE_DATA_INVALID', `${groups.length} group ids but ${labels.length} labels`);
  const assigned = assignGroupFolds(groups, options);
  if (!assigned.ok) return assigned;
  const targets = options.fprTargets ?? DEFAULT_FPR_TARGETS;
  const oof = new Float64Array(labels.length).fill(NaN);
  const results: FoldResult[] = [];
  for (const fold of assigned.value) {
    const out = await fitAndScore(fold.trainIdx, fold.testIdx, fold);
    const scores = isResult(out) ? out : ok(out);
    if (!scores.ok) return scores;
    if (scores.value.length !== fold.testIdx.length) {
      return fail('VIGIE_DATA_INVALID', `fold ${fold.index}: fitAndScore returned ${scores.value.length} scores for ${fold.testIdx.length} test rows`);
    }
    const foldScores = Float64Array.from(scores.value);
    fold.testIdx.forEach((row, k) => (oof[row] = foldScores[k]!));
    const foldLabels = Array.from(fold.testIdx, (row) => labels[row]!);
    const m = evaluateScores(foldScores, foldLabels, targets);
    results.push({
      index: fold.index, testGroups: fold.testGroups, trainRows: fold.trainIdx.length, testRows: fold.testIdx.length,
      ...(m.ok ? { metrics: m.value } : { problem: m.error }),
    });
  }
  const pooled = evaluateScores(oof, labels, targets);
  if (!pooled.ok) return pooled;
  const evaluated = results.flatMap((r) => (r.metrics ? [r.metrics] : []));
  const mean = (pick: (m: MetricsReport) => number): number =>
    evaluated.length > 0 ? evaluated.reduce((s, m) => s + pick(m), 0) / evaluated.length : NaN;
  return ok({ folds: results, pooled: pooled.value, meanRocAuc: mean((m) => m.rocAuc), meanPrAuc: mean((m) => m.prAuc) });
}

function isResult(x: unknown): x is Result<ArrayLike<number>> {
  return typeof x === 'object' && x !== null && 'ok' in x && typeof (x as { ok: unknown }).ok === 'boolean';
}
