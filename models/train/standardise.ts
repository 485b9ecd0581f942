/**
 * Per-feature standardisation learned from training rows: z = (x - mean) / scale.
 * mean and scale go into AutoencoderWeights and are applied again by every scorer.
 */
import { fail, ok, type Result } from '../../common/errors.js';

export interface Standardisation {
  mean: Float32Array;
  /** Standard deviation; exactly 1 for a (near) constant feature so it is never divided by ~0. */
  scale: Float32Array;
}

/** A feature whose standard deviation is below this (relative to its magnitude) counts as constant. */
const CONSTANT_EPS = 1e-6;

/**
 * Mean and population standard deviation of the rows listed in `idx` (float64 accumulation,
 * two passes, so 100k rows of large counters do not lose precision).
 *
 * `floor` (default 0) is the least scale of a feature that varies: a feature that is almost
 * constant in training (a flag set on 2 rows in 1,000: sd 0.045) would otherwise divide any
 * other value into a z of 20 or more and a squared error in the hundreds, one such feature
 * outweighing every other; with a floor of 0.1 its z stays at 10 or less. A feature exactly
 * constant keeps scale 1, floor or not.
 */
export function fitStandardisation(rows: Float32Array, features: number, idx: ArrayLike<number>, floor = 0): Standardisation {
  const n = idx.length;
  const sum = new Float64Array(features);
  for (let k = 0; k < n; k++) {
    const o = idx[k]! * features;
    for (let f = 0; f < features; f++) sum[f]! += rows[o + f]!;
  }
  const mean64 = sum.map((s) => s / Math.max(n, 1));
  const sq = new Float64Array(features);
  for (let k = 0; k < n; k++) {
    const o = idx[k]! * features;
    for (let f = 0; f < features; f++) {
      const d = rows[o + f]! - mean64[f]!;
      sq[f]! += d * d;
    }
  }
  const mean = Float32Array.from(mean64);
  const scale = new Float32Array(features);
  for (let f = 0; f < features; f++) {
    const sd = Math.sqrt(sq[f]! / Math.max(n, 1));
    scale[f] = sd > CONSTANT_EPS * Math.max(1, Math.abs(mean64[f]!)) ? Math.max(sd, floor) : 1;
  }
  return { mean, scale };
}

/**
 * Standardised copy of the rows in `idx` (in that order), each z clipped to [-clipZ, clipZ].
 * Clipping is for training only: a few extreme training values would otherwise dominate the
 * squared loss. Scorers do not clip, so an extreme value seen at scoring time scores high.
 */
export function standardiseRows(rows: Float32Array, features: number, idx: ArrayLike<number>, s: Standardisation, clipZ: number): Float32Array {
  const out = new Float32Array(idx.length * features);
  for (let k = 0; k < idx.length; k++) {
    const o = idx[k]! * features;
    const w = k * features;
    for (let f = 0; f < features; f++) {
      const z = (rows[o + f]! - s.mean[f]!) / s.scale[f]!;
      out[w + f] = z > clipZ ? clipZ : z < -clipZ ? -clipZ : z;
    }
  }
  return out;
}

/** Checks the matrix shape and that every value is finite; reports up to 5 bad cells. */
export function checkRows(rows: Float32Array, features: number, minRows: number): Result<number> {
  if (!Number.isInteger(features) || features < 1) return fail('VIGIE_DATA_INVALID', `feature width must be a positive integer, got ${features}`);
  if (rows.length % features !== 0) {
    return fail('VIGIE_DATA_INVALID', `row matrix has ${rows.length} numbers, not a multiple of ${features} features`);
  }
  const n = rows.length / features;
  if (n < minRows) return fail('VIGIE_DATA_INVALID', `need at least ${minRows} rows, got ${n}`);
  const bad: string[] = [];
  let badCount = 0;
  for (let i = 0; i < rows.length; i++) {
    if (!Number.isFinite(rows[i]!)) {
      badCount++;
      if (bad.length < 5) bad.push(`row ${Math.floor(i / features)} feature ${i % features}`);
    }
  }
  if (badCount > 0) {
    return fail('VIGIE_DATA_INVALID', `${badCount} non-finite value(s) (NaN or Infinity): ${bad.join(', ')}${badCount > 5 ? ', ...' : ''}`, {
      offset: bad.length > 0 ? rows.findIndex((v) => !Number.isFinite(v)) : 0,
      field: 'rows',
    });
  }
  return ok(n);
}
