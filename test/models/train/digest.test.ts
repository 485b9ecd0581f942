import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { trainingDataDigest } from '../../../models/train/index.js';

describe('trainingDataDigest', () => {
  it('is sha256 over little-endian float32', () => {
    const rows = Float32Array.from([1, -2.5, 3e-7, 0]);
    const buf = Buffer.alloc(16);
    rows.forEach((v, i) => buf.writeFloatLE(v, i * 4));
    expect(trainingDataDigest(rows)).toBe(createHash('sha256').update(buf).digest('hex'));
  });
  it('hashes only the view, not the whole underlying buffer', () => {
    const big = Float32Array.from([9, 1, 2, 9]);
    expect(trainingDataDigest(big.subarray(1, 3))).toBe(trainingDataDigest(Float32Array.from([1, 2])));
  });
  it('changes with row order', () => {
    expect(trainingDataDigest(Float32Array.from([1, 2]))).not.toBe(trainingDataDigest(Float32Array.from([2, 1])));
  });
});
