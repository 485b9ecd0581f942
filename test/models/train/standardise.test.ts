/**
 * Standardisation: the population standard deviation as scale, 1 for a constant feature, and the
 * scale floor that keeps a feature almost constant in training from dividing any other value
 * into an enormous z.
 */
import { describe, expect, it } from 'vitest';
import { fitStandardisation, standardiseRows } from '../../../models/train/standardise.js';

/** 1,000 rows of 3 features: a flag set on 2 rows, a feature that is always 0, one uniform in [0, 1). */
function rows(): Float32Array {
  const n = 1000;
  const out = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    out[i * 3] = i < 2 ? 1 : 0;
    out[i * 3 + 2] = (i * 7919 % n) / n;
  }
  return out;
}
const all = Array.from({ length: 1000 }, (_, i) => i);

describe('fitStandardisation', () => {
  it('divides by the standard deviation, and by 1 for a constant feature', () => {
    const s = fitStandardisation(rows(), 3, all);
    const p = 2 / 1000;
    expect(s.mean[0]).toBeCloseTo(p, 6);
    expect(s.scale[0]).toBeCloseTo(Math.sqrt(p * (1 - p)), 5); // about 0.045
    expect(s.scale[1]).toBe(1);
    expect(s.scale[2]).toBeCloseTo(Math.sqrt(1 / 12), 2);
  });

  it('with a floor, a rare flag scales by the floor; a constant or a spread feature is unchanged', () => {
    const plain = fitStandardisation(rows(), 3, all);
    const floored = fitStandardisation(rows(), 3, all, 0.1);
    expect(floored.scale[0]).toBeCloseTo(0.1, 6);
    expect(floored.scale[1]).toBe(1);
    expect(floored.scale[2]).toBe(plain.scale[2]);
    // The flag set on a row scored later: z about 22 without the floor, at most 10 with it.
    const set = Float32Array.of(1, 0, 0.5);
    const zPlain = standardiseRows(set, 3, [0], plain, 100)[0]!;
    const zFloored = standardiseRows(set, 3, [0], floored, 100)[0]!;
    expect(zPlain).toBeGreaterThan(20);
    expect(zFloored).toBeLessThanOrEqual(10);
    expect(zFloored).toBeGreaterThan(9.9);
  });
});
