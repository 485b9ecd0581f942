/**
 * A small hand-built autoencoder for the ONNX tests: seeded weights, a card, random rows, and the
 * score computed in plain JavaScript (the reference onnxruntime and TensorFlow.js must agree with).
 */
import type { Activation, AutoencoderWeights, DenseLayer } from '../../../models/autoencoder/weights.js';
import type { ModelCard } from '../../../models/model-card.js';

export const SCHEMA = 'vigie.features/1';

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randoms(n: number, next: () => number, lo: number, hi: number): Float32Array {
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * next());
}

/** widths [6, 3, 6] with activations ['relu', 'linear'] is a 6 -> 3 relu -> 6 linear autoencoder. */
export function makeWeights(widths: number[], activations: Activation[], seed = 7): AutoencoderWeights {
  const next = rng(seed);
  const f = widths[0]!;
  const layers: DenseLayer[] = activations.map((activation, i) => {
    const inputs = widths[i]!;
    const outputs = widths[i + 1]!;
    const limit = Math.sqrt(6 / (inputs + outputs)); // Glorot uniform, as tfjs initialises dense kernels
    return { inputs, outputs, activation, kernel: randoms(inputs * outputs, next, -limit, limit), bias: randoms(outputs, next, -0.1, 0.1) };
  });
  return {
    features: f,
    mean: randoms(f, next, -1, 1),
    scale: randoms(f, next, 0.5, 2),
    layers,
    featureWeights: randoms(f, next, 0.5, 1.5),
  };
}

export function makeCard(features: number, overrides: Partial<ModelCard> = {}): ModelCard {
  return {
    format: 'vigie.model-card/1',
    name: 'test-autoencoder',
    version: '1.2.3',
    kind: 'process',
    featureSchemaVersion: SCHEMA,
    featureNames: Array.from({ length: features }, (_, i) => `f${i}`),
    trainingDataDigest: 'ab'.repeat(32),
    trainingData: { sources: ['synthetic'], rows: 1000, seed: 7 },
    threshold: 3.5,
    metrics: { roc_auc: 0.9 },
    training: { epochs: 10, seed: 7, optimizer: 'adam' },
    createdAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

export function makeRows(n: number, f: number, seed = 11): Float32Array {
  return randoms(n * f, rng(seed), -3, 3);
}

const act: Record<Activation, (x: number) => number> = {
  relu: (x) => Math.max(0, x), tanh: Math.tanh, sigmoid: (x) => 1 / (1 + Math.exp(-x)), linear: (x) => x,
};

/** The model's definition (models/autoencoder/weights.ts), in double precision. */
export function referenceScores(w: AutoencoderWeights, rows: Float32Array, n: number): { score: number[]; contributions: number[] } {
  const f = w.features;
  const score: number[] = [];
  const contributions: number[] = [];
  for (let r = 0; r < n; r++) {
    const z = Array.from({ length: f }, (_, i) => (rows[r * f + i]! - w.mean[i]!) / w.scale[i]!);
    let h = z;
    for (const l of w.layers) {
      const out: number[] = [];
      for (let j = 0; j < l.outputs; j++) {
        let s = l.bias[j]!;
        for (let i = 0; i < l.inputs; i++) s += h[i]! * l.kernel[i * l.outputs + j]!;
        out.push(act[l.activation](s));
      }
      h = out;
    }
    let total = 0;
    for (let i = 0; i < f; i++) {
      const c = w.featureWeights[i]! * (z[i]! - h[i]!) ** 2;
      contributions.push(c);
      total += c;
    }
    score.push(total);
  }
  return { score, contributions };
}

/** Largest |a - b| / max(1, |b|): absolute near 0, relative for large scores. */
export function maxError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  return worst;
}
