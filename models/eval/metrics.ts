/**
 * Detection metrics as pure functions over (scores, labels). Conventions used throughout:
 *  - labels[i] === true marks a positive (malicious / anomalous) row; higher score = more anomalous.
 *  - an alert is a score strictly ABOVE a threshold (the model card's convention).
 *  - rows with equal scores are never split: a threshold alerts all of a tie group or none of it.
 *  - a metric that is undefined for the data (no positives, no negatives, no alerts) is NaN;
 *    evaluateScores() turns those cases into a typed VIGIE_DATA_INVALID instead.
 * Length mismatches are programming errors and throw RangeError.
 */
import { fail, ok, type Result } from '../../common/errors.js';

export type Scores = Float64Array | Float32Array | readonly number[];

/**
 * ROC-AUC = P(score of a random positive > score of a random negative) + 0.5 P(equal):
 * the Mann-Whitney U statistic with average ranks for ties, which equals the trapezoidal area
 * under the ROC curve drawn through tie groups. 1 = perfect, 0.5 = chance or all ties, 0 = inverted.
 */
export function rocAuc(scores: Scores, labels: readonly boolean[]): number {
  const { order, pos, neg } = prepare(scores, labels);
  if (pos === 0 || neg === 0) return NaN;
  let rankSumPos = 0;
  forEachTieGroup(scores, order, (start, end, _score) => {
    const avgRank = (start + 1 + end) / 2; // ranks start..end-1 are 1-based start+1..end
    for (let k = start; k < end; k++) if (labels[order[k]!]) rankSumPos += avgRank;
  }, 'ascending');
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

/**
 * PR-AUC as average precision: sum over tie groups, from the highest score down, of
 * (recall gained by alerting the group) x (precision once it is alerted). No interpolation
 * (as scikit-learn's average_precision_score). Chance level is the positive rate.
 */
export function averagePrecision(scores: Scores, labels: readonly boolean[]): number {
  const { order, pos } = prepare(scores, labels);
  if (pos === 0) return NaN;
  let tp = 0;
  let fp = 0;
  let ap = 0;
  forEachTieGroup(scores, order, (start, end) => {
    let gained = 0;
    for (let k = start; k < end; k++) {
      if (labels[order[k]!]) gained++;
      else fp++;
    }
    tp += gained;
    if (gained > 0) ap += gained * (tp / (tp + fp));
  }, 'descending');
  return ap / pos; // divided once at the end so a perfect ranking gives exactly 1
}

export interface OperatingPoint {
  /** Alerts are scores > threshold; -Infinity when every row is alerted. */
  threshold: number;
  recall: number;
  fpr: number;
  /** NaN when nothing is alerted. */
  precision: number;
}

/**
 * The best recall whose false-positive rate stays at or under `maxFpr`: tie groups are alerted
 * from the highest score down while FPR <= maxFpr, which is the lowest admissible threshold
 * (FPR only grows as the threshold drops, so that threshold also maximises recall). A tie group
 * that would push FPR over the target is left out whole, so ties make the result conservative:
 * the reported FPR never exceeds the target. NaN fields when there are no positives or negatives.
 */
export function recallAtFpr(scores: Scores, labels: readonly boolean[], maxFpr: number): OperatingPoint {
  const { order, pos, neg } = prepare(scores, labels);
  if (pos === 0 || neg === 0) return { threshold: NaN, recall: NaN, fpr: NaN, precision: NaN };
  let tp = 0;
  let fp = 0;
  let threshold = -Infinity;
  let stopped = false;
  forEachTieGroup(scores, order, (start, end, score) => {
    if (stopped) return;
    let gtp = 0;
    for (let k = start; k < end; k++) if (labels[order[k]!]) gtp++;
    const gfp = end - start - gtp;
    if ((fp + gfp) / neg > maxFpr) {
      stopped = true;
      threshold = score; // everything strictly above this group is alerted
      return;
    }
    tp += gtp;
    fp += gfp;
  }, 'descending');
  return { threshold, recall: tp / pos, fpr: fp / neg, precision: tp + fp > 0 ? tp / (tp + fp) : NaN };
}

export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  /** NaN when nothing is alerted. */
  precision: number;
  /** NaN without positives. */
  recall: number;
  /** NaN without negatives. */
  fpr: number;
}

/** Counts at a fixed threshold (e.g. the calibrated one); alerts are scores > threshold. */
export function confusionAtThreshold(scores: Scores, labels: readonly boolean[], threshold: number): Confusion {
  checkLengths(scores, labels);
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < labels.length; i++) {
    const alert = scores[i]! > threshold;
    if (labels[i]) alert ? tp++ : fn++;
    else alert ? fp++ : tn++;
  }
  return {
    tp, fp, tn, fn,
    precision: tp + fp > 0 ? tp / (tp + fp) : NaN,
    recall: tp + fn > 0 ? tp / (tp + fn) : NaN,
    fpr: fp + tn > 0 ? fp / (fp + tn) : NaN,
  };
}

export function precisionAtThreshold(scores: Scores, labels: readonly boolean[], threshold: number): number {
  return confusionAtThreshold(scores, labels, threshold).precision;
}

export interface MetricsReport {
  positives: number;
  negatives: number;
  rocAuc: number;
  prAuc: number;
  /** One operating point per requested FPR target, in the order given. */
  atFpr: { maxFpr: number; point: OperatingPoint }[];
}

export const DEFAULT_FPR_TARGETS: readonly number[] = [0.01, 0.001];

/** All ranking metrics at once; VIGIE_DATA_INVALID when a class is missing or a score is not finite. */
export function evaluateScores(scores: Scores, labels: readonly boolean[], fprTargets: readonly number[] = DEFAULT_FPR_TARGETS): Result<MetricsReport> {
  if (scores.length !== labels.length) {
    return fail('VIGIE_DATA_INVALID', `${scores.length} scores but ${labels.length} labels`);
  }
  const positives = labels.filter(Boolean).length;
  const negatives = labels.length - positives;
  const problems: string[] = [];
  if (positives === 0) problems.push('no positive (malicious) rows');
  if (negatives === 0) problems.push('no negative (benign) rows');
  let bad = 0;
  for (let i = 0; i < scores.length; i++) if (!Number.isFinite(scores[i]!)) bad++;
  if (bad > 0) problems.push(`${bad} score(s) are NaN or Infinity`);
  if (problems.length > 0) return fail('VIGIE_DATA_INVALID', `cannot evaluate: ${problems.join('; ')}`);
  return ok({
    positives,
    negatives,
    rocAuc: rocAuc(scores, labels),
    prAuc: averagePrecision(scores, labels),
    atFpr: fprTargets.map((maxFpr) => ({ maxFpr, point: recallAtFpr(scores, labels, maxFpr) })),
  });
}

/** Flat names for the model card's `metrics`: roc_auc, pr_auc, recall_at_1pct_fpr, recall_at_0.1pct_fpr. */
export function metricsRecord(r: MetricsReport): Record<string, number> {
  const out: Record<string, number> = { roc_auc: r.rocAuc, pr_auc: r.prAuc };
  for (const { maxFpr, point } of r.atFpr) out[`recall_at_${Number((maxFpr * 100).toPrecision(6))}pct_fpr`] = point.recall;
  return out;
}

function checkLengths(scores: Scores, labels: readonly boolean[]): void {
  if (scores.length !== labels.length) throw new RangeError(`${scores.length} scores but ${labels.length} labels`);
}

/** Row indices sorted by ascending score, and the class counts. */
function prepare(scores: Scores, labels: readonly boolean[]): { order: Uint32Array; pos: number; neg: number } {
  checkLengths(scores, labels);
  const n = labels.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => scores[a]! - scores[b]!);
  let pos = 0;
  for (let i = 0; i < n; i++) if (labels[i]) pos++;
  return { order, pos, neg: n - pos };
}

/** Calls fn(start, end, score) for each run of equal scores in `order` (ascending), in the given direction. */
function forEachTieGroup(scores: Scores, order: Uint32Array, fn: (start: number, end: number, score: number) => void, direction: 'ascending' | 'descending'): void {
  const groups: [number, number][] = [];
  let start = 0;
  for (let k = 1; k <= order.length; k++) {
    if (k === order.length || scores[order[k]!]! !== scores[order[start]!]!) {
      groups.push([start, k]);
      start = k;
    }
  }
  if (direction === 'descending') groups.reverse();
  for (const [s, e] of groups) fn(s, e, scores[order[s]!]!);
}
