/**
 * The model pipeline end to end on data the project makes itself (the simulated fleet, with
 * attack scenarios for labels): train, calibrate, export, load in onnxruntime, evaluate.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { simulatedEvents } from '../../../models/build/simulated-data.js';
import { rowsPerHostPerDay, trainModel } from '../../../models/build/train-model.js';
import type { LabelledEvents } from '../../../models/dataset/labelled-log.js';
import { extractRowSets, type RowSets } from '../../../models/dataset/row-sets.js';
import { benignMedian, crossValidateDataset, foldMean } from '../../../models/eval/evaluate-dataset.js';
import { FEATURE_SCHEMA_VERSION, PROCESS_LAYOUT } from '../../../models/features/index.js';
import { loadModel } from '../../../models/onnx/index.js';
import { initTrainingBackend } from '../../../models/train/index.js';

const FAST = { epochs: 4, seed: 3 };
let data: LabelledEvents;
let sets: RowSets;

beforeAll(async () => {
  await initTrainingBackend();
  data = simulatedEvents({
    hosts: 12, hours: 3, seed: 5,
    scenarios: [
      { name: 'phishing-encoded-shell', host: 4, atHour: 1 },
      { name: 'credential-dumping', host: 7, atHour: 2 },
      { name: 'beaconing-c2', host: 9, atHour: 0 },
    ],
  });
  sets = extractRowSets(data);
}, 60_000);

describe('trainModel', () => {
  it('trains on benign rows, calibrates to the budget, and writes a model onnxruntime scores', async () => {
    const r = await trainModel(data.events, sets, { kind: 'process', train: FAST, alertsPerHostPerDay: 2, createdAt: '2025-01-06T00:00:00.000Z', sources: ['test'] });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const { card, bytes, calibration } = r.value;
    expect(card).toMatchObject({ kind: 'process', featureSchemaVersion: FEATURE_SCHEMA_VERSION, featureNames: [...PROCESS_LAYOUT.names], createdAt: '2025-01-06T00:00:00.000Z' });
    expect(card.trainingData.rows).toBe(sets.process.malicious.filter((m) => !m).length);
    expect(card.threshold).toBeGreaterThan(0);
    expect(card.training['lineageDecay']).toBe(0.9);
    expect(card.training['scaleFloor']).toBe(0);
    // 2 alerts per host per day over E rows: the held-out benign rate is at most about 2 / E.
    const E = rowsPerHostPerDay(sets.process.n, data.events);
    expect(card.falsePositiveBudget?.eventsPerHostPerDay).toBeCloseTo(E);
    expect(calibration.benignAlertRate).toBeLessThanOrEqual(2 / E + 1 / calibration.benignCount);

    const model = await loadModel(bytes, { expectedSchema: FEATURE_SCHEMA_VERSION });
    expect(model.ok).toBe(true);
    if (!model.ok) return;
    const scored = await model.value.score(sets.process.values, sets.process.n);
    expect(scored).toHaveLength(sets.process.n);
    expect(scored.every((s) => Number.isFinite(s) && s >= 0)).toBe(true);
    await model.value.close();
  });

  it('is reproducible: same data and seed give the same bytes', async () => {
    const o = { kind: 'network' as const, train: FAST, createdAt: '2025-01-06T00:00:00.000Z' };
    const a = await trainModel(data.events, sets, o);
    const b = await trainModel(data.events, sets, o);
    expect(a.ok && b.ok).toBe(true);
    if (a.ok && b.ok) expect(Buffer.from(a.value.bytes).equals(Buffer.from(b.value.bytes))).toBe(true);
  });

  it('standardises with the scale floor it is given, and says so in the card', async () => {
    const r = await trainModel(data.events, sets, { kind: 'process', train: { ...FAST, scaleFloor: 0.1 } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.card.training['scaleFloor']).toBe(0.1);
    // Varying features are divided by at least 0.1, constant ones by 1; without the floor some divide by less.
    expect(Math.min(...r.value.weights.scale)).toBeGreaterThanOrEqual(0.1 - 1e-7);
    const plain = await trainModel(data.events, sets, { kind: 'process', train: FAST });
    expect(plain.ok && Math.min(...plain.value.weights.scale)).toBeLessThan(0.1);
  });

  it('refuses too few benign rows with a typed error', async () => {
    const r = await trainModel(data.events, sets, { kind: 'process', train: FAST }, [0, 1, 2]);
    expect(r).toMatchObject({ ok: false, error: { code: 'VIGIE_DATA_INVALID' } });
  });
});

describe('crossValidateDataset', () => {
  it('reports model, model without lineage and the rarity baseline for both event kinds', async () => {
    const r = await crossValidateDataset(data, sets, { folds: 3, train: FAST });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    for (const kind of ['process', 'network'] as const) {
      const k = r.value[kind];
      expect(k.malicious).toBeGreaterThan(0);
      for (const m of [k.model, k.model_own, k.baseline_rarity]) {
        expect(m['roc_auc']).toBeGreaterThanOrEqual(0);
        expect(m['roc_auc']).toBeLessThanOrEqual(1);
        expect(m).toHaveProperty('recall_at_1pct_fpr');
      }
    }
    // The scripted attacks stand out from simulated office work.
    expect(r.value.process.model['roc_auc']).toBeGreaterThan(0.8);
    expect(r.value.folds).toBe(3);
    // Per fold too, over the folds that hold an attack (three scenarios, three folds: one to three of them).
    const perFold = r.value.process.model_fold_mean!;
    expect(perFold['folds']).toBeGreaterThanOrEqual(1);
    expect(perFold['folds']).toBeLessThanOrEqual(3);
    expect(perFold['roc_auc']).toBeGreaterThan(0.5);
    // Pooled in units of each fold's median benign training score: the same rows, another interleaving of the folds.
    for (const kind of ['process', 'network'] as const) {
      const byMedian = r.value[kind].model_pooled_median!;
      expect(byMedian['roc_auc']).toBeGreaterThanOrEqual(0);
      expect(byMedian['roc_auc']).toBeLessThanOrEqual(1);
      expect(byMedian).toHaveProperty('recall_at_1pct_fpr');
    }
    expect(r.value.process.model_pooled_median!['roc_auc']).toBeGreaterThan(0.8);
  }, 60_000);
});

describe('benignMedian', () => {
  it("is the median of the benign rows' scores among the rows given, malicious ones left out", () => {
    const scores = [10, 1, 7, 3, 100, 5];
    const malicious = [false, false, true, false, true, false];
    expect(benignMedian(scores, [0, 1, 2, 3, 4, 5], malicious)).toBe(4); // 1 3 5 10
    expect(benignMedian(scores, [1, 3, 4, 5], malicious)).toBe(3); // 1 3 5
    expect(benignMedian(scores, [2, 4], malicious)).toBe(0); // none benign
  });
});

describe('foldMean', () => {
  it("averages each fold's own metrics and leaves out folds without both classes", () => {
    // Fold 0 ranks perfectly, fold 1 backwards; fold 2 has no malicious row. Pooled, fold 1's
    // high benign scores would sit above fold 0's attacks: per fold, each is judged alone.
    const rows = [
      { g: 'a', s: 0.9, m: true }, { g: 'a', s: 0.1, m: false }, { g: 'a', s: 0.2, m: false },
      { g: 'b', s: 0.3, m: true }, { g: 'b', s: 5, m: false }, { g: 'b', s: 4, m: false },
      { g: 'c', s: 9, m: false }, { g: 'c', s: 8, m: false },
    ];
    const m = foldMean(rows.map((r) => r.s), rows.map((r) => r.m), rows.map((r) => r.g), new Map([['a', 0], ['b', 1], ['c', 2]]));
    expect(m['folds']).toBe(2);
    expect(m['roc_auc']).toBeCloseTo(0.5, 12);
    expect(m['recall_at_1pct_fpr']).toBeCloseTo(0.5, 12);
    expect(m['pr_auc']).toBeCloseTo((1 + 1 / 3) / 2, 12);
  });
});
