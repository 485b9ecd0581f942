import { describe, expect, it } from 'vitest';
import { ok } from '../../../common/errors.js';
import { assignGroupFolds, crossValidate } from '../../../models/eval/index.js';

const groups = ['a', 'a', 'b', 'b', 'c', 'c', 'd', 'd'];
// each group holds one benign and one malicious row; score = the label plus a group offset
const labels = [false, true, false, true, false, true, false, true];

describe('assignGroupFolds', () => {
  it('keeps every group in one fold and is deterministic', () => {
    const a = assignGroupFolds(groups, { folds: 2, seed: 7 });
    const b = assignGroupFolds([...groups], { folds: 2, seed: 7 });
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(a.value.map((f) => f.testGroups)).toEqual(b.value.map((f) => f.testGroups));
    const seen = a.value.flatMap((f) => f.testGroups).sort();
    expect(seen).toEqual(['a', 'b', 'c', 'd']);
    for (const f of a.value) {
      expect(f.testGroups).toHaveLength(2);
      for (const i of f.testIdx) expect(f.testGroups).toContain(groups[i]);
      for (const i of f.trainIdx) expect(f.testGroups).not.toContain(groups[i]);
      expect(f.testIdx.length + f.trainIdx.length).toBe(groups.length);
    }
  });
  it('defaults to leave-one-group-out', () => {
    const r = assignGroupFolds(groups);
    expect(r.ok && r.value.length).toBe(4);
  });
  it('refuses one group or too many folds', () => {
    const one = assignGroupFolds(['x', 'x']);
    expect(!one.ok && one.error.code).toBe('VIGIE_DATA_INVALID');
    const many = assignGroupFolds(groups, { folds: 5 });
    expect(!many.ok && many.error.code).toBe('VIGIE_CONFIG_INVALID');
  });
});

describe('crossValidate', () => {
  it('returns per-fold and pooled metrics from out-of-fold scores', async () => {
    const calls: number[][] = [];
    const r = await crossValidate(groups, labels, (train, test) => {
      calls.push([...train]);
      return Array.from(test, (i) => (labels[i] ? 1 : 0) + 0.01 * i);
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(calls).toHaveLength(4);
    expect(r.value.folds.every((f) => f.metrics?.rocAuc === 1)).toBe(true);
    expect(r.value.pooled.rocAuc).toBe(1);
    expect(r.value.meanRocAuc).toBe(1);
  });
  it('keeps going when one fold has a single class, and reports it', async () => {
    const g = ['a', 'a', 'b', 'b', 'c'];
    const l = [false, true, false, true, false];
    const r = await crossValidate(g, l, (_train, test) => ok(Array.from(test, (i) => (l[i] ? 1 : 0))));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const c = r.value.folds.find((f) => f.testGroups[0] === 'c');
    expect(c?.problem?.code).toBe('VIGIE_DATA_INVALID');
    expect(r.value.pooled.rocAuc).toBe(1);
  });
  it('passes a typed training failure through', async () => {
    const r = await crossValidate(groups, labels, async () => ({ ok: false as const, error: { code: 'VIGIE_DATA_INVALID' as const, message: 'boom' } }));
    expect(!r.ok && r.error.message).toBe('boom');
  });
  it('refuses a wrong number of scores', async () => {
    const r = await crossValidate(groups, labels, () => [1]);
    expect(!r.ok && r.error.code).toBe('VIGIE_DATA_INVALID');
  });
});
