import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VigieError } from '../../../common/errors.js';
import { MODEL_CARD_KEY } from '../../../models/model-card.js';
import { checkExportable, exportAutoencoder, loadModel } from '../../../models/onnx/index.js';
import type { LoadedModel } from '../../../models/onnx/index.js';
import { onnx } from '../../../proto/gen/onnx.js';
import { SCHEMA, makeCard, makeRows, makeWeights, maxError, referenceScores } from './autoencoder-fixture.js';

const weights = makeWeights([6, 3, 6], ['relu', 'linear']);
const card = makeCard(6);

describe('exportAutoencoder', () => {
  let model: LoadedModel;
  beforeAll(async () => {
    const r = await loadModel(exportAutoencoder(weights, card), { expectedSchema: SCHEMA });
    if (!r.ok) throw new Error(r.error.message);
    model = r.value;
  });
  afterAll(() => model.close());

  it('writes ONNX that our schema reads back: versions, producer, card, initializers as raw_data', () => {
    const bytes = exportAutoencoder(weights, card);
    expect(bytes.buffer.byteLength).toBe(bytes.length); // owns its memory, not a view of a pool
    const m = onnx.ModelProto.decode(bytes);
    expect(m.irVersion).toBe(8);
    expect(m.opsetImport).toEqual([expect.objectContaining({ domain: '', version: 17 })]);
    expect(m.producerName).toBe('vigie');
    expect(m.modelVersion).toBe(1_002_003);
    expect(JSON.parse(m.metadataProps.find((p) => p.key === MODEL_CARD_KEY)!.value ?? '')).toEqual(card);
    const graph = m.graph as onnx.GraphProto; // decode builds GraphProto instances
    const kernel = graph.initializer.find((t) => t.name === 'layer0_kernel')!;
    expect(kernel.dims).toEqual([6, 3]);
    const raw = kernel.rawData!;
    expect(new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength))).toEqual(weights.layers[0]!.kernel);
    expect(graph.node.map((n) => n.opType)).toEqual(
      ['Sub', 'Div', 'MatMul', 'Add', 'Relu', 'MatMul', 'Add', 'Sub', 'Mul', 'Mul', 'ReduceSum']);
  });

  it('onnxruntime agrees with the plain-JS definition to 1e-4 (score and contributions)', async () => {
    const n = 33;
    const rows = makeRows(n, 6);
    const got = await model.explain(rows, n);
    const want = referenceScores(weights, rows, n);
    expect(got.score.length).toBe(n);
    expect(got.contributions.length).toBe(n * 6);
    expect(maxError(got.score, want.score)).toBeLessThan(1e-4);
    expect(maxError(got.contributions, want.contributions)).toBeLessThan(1e-4);
    // score() fetches the same scores without the contributions.
    const only = await model.score(rows, n);
    expect(only).toBeInstanceOf(Float32Array);
    expect(Array.from(only)).toEqual(Array.from(got.score));
  });

  it('exports every activation', async () => {
    const w = makeWeights([5, 4, 2, 4, 5], ['tanh', 'sigmoid', 'relu', 'linear'], 3);
    const r = await loadModel(exportAutoencoder(w, makeCard(5)), { expectedSchema: SCHEMA });
    if (!r.ok) throw new Error(r.error.message);
    const rows = makeRows(9, 5, 4);
    const got = await r.value.score(rows, 9);
    expect(maxError(got, referenceScores(w, rows, 9).score)).toBeLessThan(1e-4);
    await r.value.close();
  });

  it('scores batches of 1, 7 and 4096 with one model, reading only the first n rows of a longer buffer', async () => {
    const all = makeRows(4100, 6, 5);
    for (const n of [1, 7, 4096]) {
      const got = await model.score(all, n);
      expect(got.length).toBe(n);
      expect(maxError(got, referenceScores(weights, all, n).score)).toBeLessThan(1e-4);
    }
    expect((await model.score(all, 0)).length).toBe(0);
    expect((await model.explain(all, 0)).contributions.length).toBe(0);
  });

  it('rejects bad score() arguments and use after close with VIGIE_MODEL_FAILED', async () => {
    await expect(model.score(new Float32Array(5), 1)).rejects.toMatchObject({ code: 'VIGIE_MODEL_FAILED' });
    await expect(model.score(new Float32Array(12), 1.5)).rejects.toBeInstanceOf(VigieError);
    await expect(model.explain(new Float32Array(5), 1)).rejects.toMatchObject({ code: 'VIGIE_MODEL_FAILED' });
    const r = await loadModel(exportAutoencoder(weights, card), { expectedSchema: SCHEMA });
    if (!r.ok) throw new Error(r.error.message);
    const pending = r.value.score(makeRows(64, 6), 64);
    const explaining = r.value.explain(makeRows(3, 6), 3);
    await r.value.close(); // waits for the runs in flight
    expect((await pending).length).toBe(64);
    expect((await explaining).contributions.length).toBe(18);
    await expect(r.value.score(makeRows(1, 6), 1)).rejects.toMatchObject({ code: 'VIGIE_MODEL_FAILED' });
    await expect(r.value.explain(makeRows(1, 6), 1)).rejects.toMatchObject({ code: 'VIGIE_MODEL_FAILED' });
    await r.value.close();
  });

  it('refuses weights that do not fit together, naming every problem', () => {
    const bad = makeWeights([6, 3, 6], ['relu', 'linear']);
    bad.scale[2] = 0;
    bad.layers[1]!.bias = new Float32Array(5);
    const problems = checkExportable(bad, makeCard(4, { version: 'latest' }));
    expect(problems.map((p) => p.location?.field)).toEqual(['scale', 'layers[1].bias', 'card.featureNames', 'card.version']);
    expect(() => exportAutoencoder(bad, card)).toThrow(/scale holds a 0.*layers\[1\]\.bias has 5 values/);
  });
});
