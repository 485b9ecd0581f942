import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { rocAuc } from '../../../models/eval/index.js';
import {
  createManifold, initTrainingBackend, modelFromWeights, scoreRowsJs, trainAutoencoder, weightsFromModel,
  type TrainingBackendInfo, type TrainProgress,
} from '../../../models/train/index.js';
import type { AutoencoderWeights } from '../../../models/autoencoder/weights.js';

const F = 12;
const manifold = createManifold(F, 3, 0.05, 7);
const rows = manifold.normal(2000, 1);
// Small and quick: enough epochs to learn the manifold, well under the 20 s budget on wasm.
const OPTIONS = { seed: 3, epochs: 25, batchSize: 64, learningRate: 0.003, hiddenLayers: '32,8,32' };

let backend: TrainingBackendInfo;
beforeAll(async () => {
  backend = await initTrainingBackend();
});

function allNumbers(w: AutoencoderWeights): Float32Array[] {
  return [w.mean, w.scale, w.featureWeights, ...w.layers.flatMap((l) => [l.kernel, l.bias])];
}

describe('initTrainingBackend', () => {
  it('starts the wasm backend under Node (SIMD, no threads)', () => {
    expect(backend.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(backend.threads).toBe(false);
  });
});

describe('trainAutoencoder', () => {
  it('learns the manifold: held-out normal rows score below off-manifold rows', async () => {
    const progress: TrainProgress[] = [];
    const tensorsBefore = tf.memory().numTensors;
    const r = await trainAutoencoder(rows, F, OPTIONS, (p) => progress.push(p));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(tf.memory().numTensors).toBe(tensorsBefore); // nothing leaked
    const { weights, history } = r.value;
    expect(weights.features).toBe(F);
    expect(weights.layers.map((l) => [l.inputs, l.outputs, l.activation])).toEqual([
      [12, 32, 'relu'], [32, 8, 'relu'], [8, 32, 'relu'], [32, 12, 'linear'],
    ]);
    expect(history.trainRows + history.validationRows).toBe(2000);
    expect(history.validationRows).toBe(200);
    expect(progress.length).toBe(history.loss.length);
    expect(progress[0]).toMatchObject({ epoch: 1, epochs: 25 });
    expect(progress.every((p) => p.rowsPerSecond > 0 && Number.isFinite(p.valLoss))).toBe(true);
    expect(history.valLoss[history.bestEpoch - 1]).toBe(Math.min(...history.valLoss));
    expect(history.valLoss.at(-1)!).toBeLessThan(history.valLoss[0]!);

    const normal = scoreRowsJs(weights, manifold.normal(300, 99)).scores;
    const anomalous = scoreRowsJs(weights, manifold.anomalous(300, 98)).scores;
    const auc = rocAuc([...normal, ...anomalous], [...normal].map(() => false).concat([...anomalous].map(() => true)));
    expect(auc).toBeGreaterThan(0.9);
  });

  it('is bit-reproducible: same rows and seed give identical weights; another seed differs', async () => {
    const quick = { ...OPTIONS, epochs: 3 };
    const a = await trainAutoencoder(rows, F, quick);
    const b = await trainAutoencoder(Float32Array.from(rows), F, quick);
    const c = await trainAutoencoder(rows, F, { ...quick, seed: 4 });
    if (!a.ok || !b.ok || !c.ok) throw new Error('training failed');
    const [wa, wb, wc] = [a.value.weights, b.value.weights, c.value.weights].map(allNumbers);
    wa!.forEach((arr, i) => expect(Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength).equals(Buffer.from(wb![i]!.buffer, wb![i]!.byteOffset, wb![i]!.byteLength))).toBe(true));
    expect(a.value.history.loss).toEqual(b.value.history.loss);
    expect(a.value.validationIdx).toEqual(b.value.validationIdx);
    expect(wa!.some((arr, i) => arr.some((v, k) => v !== wc![i]![k]))).toBe(true);
  });

  it('stops early when validation loss stops improving and keeps the best epoch', async () => {
    // learning rate high enough to plateau quickly; patience 1
    const r = await trainAutoencoder(rows.subarray(0, 200 * F), F, { ...OPTIONS, epochs: 200, patience: 1, learningRate: 0.05 });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.history.stoppedEarly).toBe(true);
    expect(r.value.history.loss.length).toBeLessThan(200);
    expect(r.value.history.bestEpoch).toBe(r.value.history.loss.length - 1);
  });

  it('standardises with scale 1 for a constant feature and trains without validation', async () => {
    const withConst = Float32Array.from(rows.subarray(0, 300 * F));
    for (let r = 0; r < 300; r++) withConst[r * F + 5] = 42;
    const r = await trainAutoencoder(withConst, F, { ...OPTIONS, epochs: 2, validationSplit: 0 });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.weights.scale[5]).toBe(1);
    expect(r.value.weights.mean[5]).toBe(42);
    expect(r.value.history.validationRows).toBe(0);
    expect(r.value.history.valLoss.every(Number.isNaN)).toBe(true);
  });

  it('returns typed errors for bad rows and bad options, every problem listed', async () => {
    const ragged = await trainAutoencoder(new Float32Array(25), F);
    expect(!ragged.ok && ragged.error.code).toBe('VIGIE_DATA_INVALID');
    const withNaN = Float32Array.from(rows.subarray(0, 10 * F));
    withNaN[3 * F + 2] = NaN;
    const nan = await trainAutoencoder(withNaN, F);
    expect(!nan.ok && nan.error.message).toContain('row 3 feature 2');
    const opts = await trainAutoencoder(rows, F, { epochs: 0, hiddenLayers: '32,x', bogus: 1 });
    expect(opts.ok).toBe(false);
    if (opts.ok) return;
    expect(opts.error.code).toBe('VIGIE_CONFIG_INVALID');
    expect(opts.error.message).toContain('unknown key "bogus"');
    expect(opts.error.message).toContain('"epochs"');
  });
});

describe('scoreRowsJs', () => {
  it('matches scores derived from tfjs model.predict, contributions included', () => {
    // A randomly initialised tfjs model with a tanh/sigmoid mix exercises every activation and the kernel layout.
    const model = tf.sequential();
    model.add(tf.layers.dense({ units: 7, activation: 'tanh', inputShape: [5], kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }), biasInitializer: tf.initializers.randomNormal({ seed: 2 }) }));
    model.add(tf.layers.dense({ units: 3, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }), biasInitializer: tf.initializers.randomNormal({ seed: 4 }) }));
    model.add(tf.layers.dense({ units: 4, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }) }));
    model.add(tf.layers.dense({ units: 5, activation: 'linear', kernelInitializer: tf.initializers.glorotUniform({ seed: 6 }) }));
    const mean = Float32Array.from([1, -2, 0.5, 3, 0]);
    const scale = Float32Array.from([2, 1, 0.5, 4, 1]);
    const featureWeights = Float32Array.from([1, 1, 2, 0.5, 1]);
    const w = weightsFromModel(model, { mean, scale }, featureWeights);
    const x = createManifold(5, 2, 0.1, 3).normal(50, 4);

    const z = tf.tensor2d(x, [50, 5]).sub(tf.tensor1d(mean)).div(tf.tensor1d(scale));
    const h = model.predict(z) as tf.Tensor;
    const contrib = z.sub(h).square().mul(tf.tensor1d(featureWeights));
    const tfContrib = contrib.dataSync();
    const tfScores = contrib.sum(1).dataSync();

    const js = scoreRowsJs(w, x, { contributions: true });
    for (let i = 0; i < 50; i++) expect(js.scores[i]).toBeCloseTo(tfScores[i]!, 4);
    for (let i = 0; i < 250; i++) expect(js.contributions![i]).toBeCloseTo(tfContrib[i]!, 4);

    // and the round trip through modelFromWeights predicts the same
    const rebuilt = modelFromWeights(w);
    const h2 = (rebuilt.predict(z) as tf.Tensor).dataSync();
    expect(Array.from(h2)).toEqual(Array.from(h.dataSync()));
    tf.dispose([z, h, contrib]);
    model.dispose();
    rebuilt.dispose();
  });

  it('matches a hand computation on a one-layer model', () => {
    // z = (x - 1) / 2; h = relu(z * k + b) with k = [[1, 0], [0, -1]], b = [0, 1]
    const w: AutoencoderWeights = {
      features: 2,
      mean: Float32Array.from([1, 1]),
      scale: Float32Array.from([2, 2]),
      layers: [{ inputs: 2, outputs: 2, kernel: Float32Array.from([1, 0, 0, -1]), bias: Float32Array.from([0, 1]), activation: 'relu' }],
      featureWeights: Float32Array.from([1, 3]),
    };
    // x = [3, 5] -> z = [1, 2] -> h = [relu(1), relu(-2 + 1)] = [1, 0] -> contrib = [0, 3 * 4]
    const r = scoreRowsJs(w, Float32Array.from([3, 5]), { contributions: true });
    expect(Array.from(r.contributions!)).toEqual([0, 12]);
    expect(r.scores[0]).toBe(12);
  });
});
