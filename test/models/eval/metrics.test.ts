import { describe, expect, it } from 'vitest';
import {
  averagePrecision, confusionAtThreshold, evaluateScores, metricsRecord, precisionAtThreshold, recallAtFpr, rocAuc,
} from '../../../models/eval/index.js';

const T = true;
const F = false;

describe('rocAuc', () => {
  it('is 1 for perfect separation, 0 inverted, 0.5 when all scores tie', () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [F, F, T, T])).toBe(1);
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [F, F, T, T])).toBe(0);
    expect(rocAuc([3, 3, 3, 3, 3], [F, T, F, T, F])).toBe(0.5);
  });
  it('matches a hand count on a small example with a tie', () => {
    // pos: 0.8, 0.4, 0.35 ; neg: 0.7, 0.4, 0.1
    // pairs pos>neg: 0.8>{0.7,0.4,0.1}=3, 0.4>{0.1}=1 +tie 0.5, 0.35>{0.1}=1 -> 5.5 / 9
    expect(rocAuc([0.8, 0.7, 0.4, 0.4, 0.35, 0.1], [T, F, T, F, T, F])).toBeCloseTo(5.5 / 9, 12);
  });
  it('is NaN without one of the classes', () => {
    expect(rocAuc([1, 2], [T, T])).toBeNaN();
    expect(rocAuc([1, 2], [F, F])).toBeNaN();
  });
  it('accepts typed arrays', () => {
    expect(rocAuc(Float64Array.from([0.1, 0.9]), [F, T])).toBe(1);
  });
  it('throws on a length mismatch (a bug, not data)', () => {
    expect(() => rocAuc([1, 2, 3], [T, F])).toThrow(RangeError);
  });
});

describe('averagePrecision', () => {
  it('is exactly 1 for a perfect ranking', () => {
    expect(averagePrecision([0.1, 0.2, 0.3, 0.8, 0.9, 0.95], [F, F, F, T, T, T])).toBe(1);
  });
  it('matches a hand computation', () => {
    // descending: 0.9 T (P=1, R=1/2), 0.8 F, 0.7 T (P=2/3, R=1) -> AP = 1/2*1 + 1/2*2/3
    expect(averagePrecision([0.9, 0.8, 0.7, 0.1], [T, F, T, F])).toBeCloseTo(0.5 + 1 / 3, 12);
  });
  it('treats a tie group as one step (no optimistic ordering inside ties)', () => {
    // all tied: one group, precision = positive rate
    expect(averagePrecision([1, 1, 1, 1], [T, F, F, F])).toBeCloseTo(0.25, 12);
  });
  it('is NaN without positives', () => {
    expect(averagePrecision([1, 2], [F, F])).toBeNaN();
  });
});

describe('recallAtFpr', () => {
  // 10 negatives 0.0..0.9, positives at 0.95, 0.85, 0.55
  const neg = Array.from({ length: 10 }, (_, i) => i / 10);
  const scores = [...neg, 0.95, 0.85, 0.55];
  const labels = [...neg.map(() => F), T, T, T];

  it('takes the lowest threshold whose FPR stays under the target', () => {
    const p = recallAtFpr(scores, labels, 0.1); // one negative (0.9) allowed
    expect(p.fpr).toBeCloseTo(0.1, 12);
    expect(p.recall).toBeCloseTo(2 / 3, 12); // 0.95 and 0.85 alerted
    expect(p.threshold).toBe(0.8); // alerts are scores > 0.8
    expect(confusionAtThreshold(scores, labels, p.threshold).recall).toBeCloseTo(p.recall, 12);
  });
  it('alerts nothing above a negative at the top when the target is 0', () => {
    const p = recallAtFpr([0.9, 0.8, 0.1], [F, T, F], 0);
    expect(p).toEqual({ threshold: 0.9, recall: 0, fpr: 0, precision: NaN });
  });
  it('leaves out a whole tie group that would exceed the target (conservative)', () => {
    // top group: one positive and one negative tied at 0.9; FPR target 0.1 with 2 negatives
    const p = recallAtFpr([0.9, 0.9, 0.1], [T, F, F], 0.1);
    expect(p.recall).toBe(0);
    expect(p.fpr).toBe(0);
    expect(p.threshold).toBe(0.9);
  });
  it('includes a tie group when the target allows its negatives', () => {
    const p = recallAtFpr([0.9, 0.9, 0.1], [T, F, F], 0.5);
    expect(p.recall).toBe(1);
    expect(p.fpr).toBe(0.5);
    expect(p.threshold).toBe(0.1);
  });
  it('alerts everything (threshold -Infinity) when FPR 1 is allowed', () => {
    const p = recallAtFpr([0.2, 0.4], [F, T], 1);
    expect(p.threshold).toBe(-Infinity);
    expect(p.recall).toBe(1);
  });
  it('perfect separation gives recall 1 at FPR 0', () => {
    const p = recallAtFpr([0.1, 0.2, 0.8, 0.9], [F, F, T, T], 0);
    expect(p.recall).toBe(1);
    expect(p.threshold).toBe(0.2);
  });
});

describe('precision at a threshold', () => {
  it('counts scores strictly above the threshold as alerts', () => {
    const s = [0.1, 0.5, 0.5, 0.9];
    const l = [F, F, T, T];
    expect(precisionAtThreshold(s, l, 0.5)).toBe(1);
    expect(precisionAtThreshold(s, l, 0.4)).toBeCloseTo(2 / 3, 12);
    expect(precisionAtThreshold(s, l, 0.9)).toBeNaN();
    expect(confusionAtThreshold(s, l, 0.4)).toMatchObject({ tp: 2, fp: 1, tn: 1, fn: 0 });
  });
});

describe('evaluateScores', () => {
  it('reports every metric and flat card names', () => {
    const r = evaluateScores([0.1, 0.2, 0.8, 0.9], [F, F, T, T]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(metricsRecord(r.value)).toEqual({ roc_auc: 1, pr_auc: 1, recall_at_1pct_fpr: 1, 'recall_at_0.1pct_fpr': 1 });
  });
  it('returns VIGIE_DATA_INVALID naming every problem', () => {
    const r = evaluateScores([NaN, 1], [T, T]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('VIGIE_DATA_INVALID');
    expect(r.error.message).toContain('no negative');
    expect(r.error.message).toContain('NaN');
  });
});
