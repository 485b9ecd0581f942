/**
 * ModelSlot with real onnxruntime sessions: a model swapped out while it scores a batch is closed
 * only after that batch's scores were consumed, so what the consumer starts on it (the explain
 * run of the batch's detections) still runs on the version that scored the batch.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../common/log.js';
import { ModelSlot } from '../../../engine/score/model-slot.js';
import { FEATURE_SCHEMA_VERSION, PROCESS_LAYOUT } from '../../../models/features/index.js';
import { loadModel, type LoadedModel, type ModelScores } from '../../../models/onnx/index.js';
import { modelBytes } from './fixture.js';

const W = PROCESS_LAYOUT.width;
let open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open) await o.close();
  open = [];
});

async function model(version: string): Promise<LoadedModel> {
  const r = await loadModel(modelBytes({ kind: 'process', version }), { expectedSchema: FEATURE_SCHEMA_VERSION });
  if (!r.ok) throw new Error(r.error.message);
  open.push(r.value);
  return r.value;
}

describe('ModelSlot', () => {
  it('closes a swapped-out model only after the batch it was scoring is consumed', async () => {
    const explained: { version: string; run: Promise<ModelScores> }[] = [];
    const slot = new ModelSlot<number>({ kind: 'process', featureNames: PROCESS_LAYOUT.names, maxRows: 4, maxDelayMs: 1000 },
      (m, batch) => explained.push({ version: m.card.version, run: m.explain(batch.rows, batch.n) }), silentLogger);
    open.push(slot);
    const first = await model('1.0.0');
    const second = await model('2.0.0');
    await slot.install(first);
    const rows = new Float32Array(4 * W).fill(0.5);
    expect(slot.batcher.addRows(rows, 0, 4, (i) => i)).toBeUndefined(); // full: its run is now in flight on 1.0.0
    expect(explained).toEqual([]);
    await slot.install(second); // the swap comes while 1.0.0 scores
    expect(slot.version).toBe('test-process@2.0.0');
    expect(explained.map((e) => e.version)).toEqual(['1.0.0']);
    const { contributions } = await explained[0]!.run; // not refused as "closed"
    expect(contributions).toHaveLength(4 * W);
    await expect(first.score(rows, 1)).rejects.toMatchObject({ code: 'VIGIE_MODEL_FAILED' }); // closed now
    expect(slot.count).toMatchObject({ runs: 1, rows: 4, swaps: 1, failedRuns: 0 });
  });
});
