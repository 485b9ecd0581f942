import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createManifold, initTrainingBackend, trainAutoencoder } from '../../../models/train/index.js';

// Own file: the tfjs backend is process-global and vitest runs each file in its own fork.
describe('cpu backend (the fallback)', () => {
  it('starts on request and trains reproducibly too', async () => {
    const info = await initTrainingBackend({ prefer: 'cpu' });
    expect(info).toEqual({ name: 'cpu', simd: false, threads: false });
    expect(tf.getBackend()).toBe('cpu');
    const rows = createManifold(6, 2, 0.05, 1).normal(300, 2);
    const opts = { seed: 9, epochs: 2, batchSize: 32, hiddenLayers: '8,3,8' };
    const a = await trainAutoencoder(rows, 6, opts);
    const b = await trainAutoencoder(rows, 6, opts);
    if (!a.ok || !b.ok) throw new Error('training failed');
    expect(a.value.history.backend).toBe('cpu');
    expect(Array.from(a.value.weights.layers[3]!.kernel)).toEqual(Array.from(b.value.weights.layers[3]!.kernel));
  });
});
