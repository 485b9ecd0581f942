/**
 * DetectionExplainer with a real onnxruntime session: the flagged rows' contributions come from
 * one explain run over a copy of just those rows (the batch's buffer may be reused at once),
 * detections reach the sink in batch order, and a failed explain run (the model closed in
 * between) or a throwing sink loses no detection.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../common/log.js';
import type { Detection } from '../../../engine/detect/detection.js';
import { DetectionExplainer, type Flagged } from '../../../engine/score/detection-explainer.js';
import { FEATURE_SCHEMA_VERSION, PROCESS_LAYOUT } from '../../../models/features/index.js';
import { loadModel, type LoadedModel } from '../../../models/onnx/index.js';
import { modelBytes, PROCESS_WEIGHTS } from './fixture.js';

const W = PROCESS_LAYOUT.width;
const P = Object.fromEntries(PROCESS_LAYOUT.names.map((n, i) => [n, i])) as Record<string, number>;

let models: LoadedModel[] = [];
afterEach(async () => {
  for (const m of models) await m.close();
  models = [];
});

async function model(): Promise<LoadedModel> {
  const r = await loadModel(modelBytes({ kind: 'process' }), { expectedSchema: FEATURE_SCHEMA_VERSION });
  if (!r.ok) throw new Error(r.error.message);
  models.push(r.value);
  return r.value;
}

/** A detection that records what it was given: the row's values and contributions. */
function flag(row: number, seen: { values: number[]; contributions: number[] | undefined }[], label: string): Flagged {
  return {
    row,
    detection(values, contributions) {
      seen.push({ values: Array.from(values), contributions: contributions && Array.from(contributions) });
      return { sensorId: 's', tenant: 't', host: 'h', timeMs: 0, source: 'model', ruleId: label, title: label, severity: 'high', score: 1, processKey: '1:1', evidence: { tags: [], contentVersion: '1', seq: 0, eventIndex: 0, event: {}, ancestry: [], explanations: [] } };
    },
  };
}

describe('DetectionExplainer', () => {
  it('words the flagged rows from one explain run over a copy of them, in batch order', async () => {
    const m = await model();
    const got: Detection[] = [];
    const x = new DetectionExplainer({ add: (d) => got.push(...d) }, silentLogger);
    const rows = new Float32Array(4 * W);
    rows[1 * W + P['parent_document_app']!] = 1; // row 1: contribution 2
    rows[3 * W + P['cmd_base64_run']!] = 0.5; // row 3: contribution 2 * 0.25
    const seen: { values: number[]; contributions: number[] | undefined }[] = [];
    x.explain(m, rows, [flag(1, seen, 'a'), flag(3, seen, 'b')]);
    rows.fill(7); // the batch's buffer is reused as soon as explain() returns
    const second = new Float32Array(2 * W);
    x.explain(m, second, [flag(0, seen, 'c')]);
    await x.flush();
    expect(got.map((d) => d.ruleId)).toEqual(['a', 'b', 'c']);
    expect(seen[0]!.values[P['parent_document_app']!]).toBe(1);
    expect(seen[0]!.contributions![P['parent_document_app']!]).toBeCloseTo(PROCESS_WEIGHTS.parent_document_app, 5);
    expect(seen[1]!.contributions![P['cmd_base64_run']!]).toBeCloseTo(PROCESS_WEIGHTS.cmd_base64_run * 0.25, 5);
    expect(seen[1]!.contributions!.reduce((a, b) => a + b, 0)).toBeCloseTo(0.5, 5);
    expect(seen[2]!.contributions!.every((c) => c === 0)).toBe(true);
    expect(x.count).toEqual({ detections: 3, runs: 2, failedRuns: 0 });
  });

  it('raises the detections without contributions when the explain run fails, and goes on after a sink that throws', async () => {
    const m = await model();
    const got: Detection[] = [];
    let throwOnce = true;
    const x = new DetectionExplainer({
      add: (d) => {
        if (throwOnce) {
          throwOnce = false;
          throw new Error('sink down');
        }
        got.push(...d);
      },
    }, silentLogger);
    const seen: { values: number[]; contributions: number[] | undefined }[] = [];
    x.explain(m, new Float32Array(W), [flag(0, seen, 'lost to the sink')]);
    await m.close();
    x.explain(m, new Float32Array(W), [flag(0, seen, 'closed model')]);
    await x.flush();
    expect(got.map((d) => d.ruleId)).toEqual(['closed model']);
    expect(seen[1]!.contributions).toBeUndefined();
    expect(x.count.failedRuns).toBe(1);
  });
});
