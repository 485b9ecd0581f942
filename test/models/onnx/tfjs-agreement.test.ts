/**
 * The exported graph computes what TensorFlow.js computes with the same weights: the guard that
 * training (tfjs) and the engine (onnxruntime) score a row the same way.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AutoencoderWeights } from '../../../models/autoencoder/weights.js';
import { exportAutoencoder, loadModel } from '../../../models/onnx/index.js';
import { SCHEMA, makeCard, makeRows, makeWeights, maxError } from './autoencoder-fixture.js';

/** The autoencoder as a tfjs model; dense kernels are [inputs, outputs], the layout of DenseLayer. */
function tfjsModel(w: AutoencoderWeights): tf.Sequential {
  const model = tf.sequential();
  w.layers.forEach((l, i) => {
    model.add(tf.layers.dense({ units: l.outputs, activation: l.activation, ...(i === 0 ? { inputShape: [l.inputs] } : {}) }));
  });
  model.layers.forEach((layer, i) => {
    const l = w.layers[i]!;
    layer.setWeights([tf.tensor2d(l.kernel, [l.inputs, l.outputs]), tf.tensor1d(l.bias)]);
  });
  return model;
}

/** score and contributions of `rows` computed with tfjs ops, the way training computes its loss. */
function tfjsScores(w: AutoencoderWeights, rows: Float32Array, n: number): { score: Float32Array; contributions: Float32Array } {
  const model = tfjsModel(w);
  const out = tf.tidy(() => {
    const z = tf.tensor2d(rows, [n, w.features]).sub(tf.tensor1d(w.mean)).div(tf.tensor1d(w.scale));
    const h = model.predict(z) as tf.Tensor2D;
    const contributions = z.sub(h).square().mul(tf.tensor1d(w.featureWeights));
    return [contributions.sum(1), contributions];
  });
  const [score, contributions] = out.map((t) => t.dataSync() as Float32Array);
  tf.dispose(out);
  model.dispose();
  return { score: score!, contributions: contributions! };
}

describe('TensorFlow.js (wasm backend) and onnxruntime agree', () => {
  beforeAll(async () => {
    // The wasm backend initialises in Node 20 under vitest (forks pool): it reads the .wasm file
    // next to its own module. No fallback to 'cpu' is needed.
    expect(await tf.setBackend('wasm')).toBe(true);
    await tf.ready();
  });
  afterAll(() => tf.disposeVariables());

  it('uses the wasm backend', () => {
    expect(tf.getBackend()).toBe('wasm');
  });

  for (const [name, widths, activations] of [
    ['6 -> 3 relu -> 6 linear', [6, 3, 6], ['relu', 'linear']],
    ['40 -> 16 tanh -> 8 relu -> 16 sigmoid -> 40 linear', [40, 16, 8, 16, 40], ['tanh', 'relu', 'sigmoid', 'linear']],
  ] as const) {
    it(`${name}: score and contributions within 1e-4 on a batch`, async () => {
      const w = makeWeights([...widths], [...activations], 21);
      const n = 257;
      const rows = makeRows(n, w.features, 22);
      const loaded = await loadModel(exportAutoencoder(w, makeCard(w.features)), { expectedSchema: SCHEMA });
      if (!loaded.ok) throw new Error(loaded.error.message);
      const onnxOut = await loaded.value.explain(rows, n);
      await loaded.value.close();
      const tfOut = tfjsScores(w, rows, n);
      expect(maxError(onnxOut.score, tfOut.score)).toBeLessThan(1e-4);
      expect(maxError(onnxOut.contributions, tfOut.contributions)).toBeLessThan(1e-4);
    });
  }
});
