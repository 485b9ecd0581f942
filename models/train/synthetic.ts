/**
 * Seeded synthetic rows for tests and the training bench: points near a low-dimensional nonlinear
 * manifold (what "normal" looks like to an autoencoder) and points off it with the same
 * per-feature spread (what an anomaly looks like). Not a stand-in for real telemetry.
 */
import { createPrng } from './prng.js';

export interface SyntheticManifold {
  features: number;
  /** n rows near the manifold: x = tanh(A u) + B u + noise, u ~ N(0, I_latent). */
  normal(n: number, seed: number): Float32Array;
  /** n rows whose features are drawn independently with the normal rows' spread (off the manifold). */
  anomalous(n: number, seed: number): Float32Array;
}

export function createManifold(features: number, latent: number, noise: number, seed: number): SyntheticManifold {
  const rand = createPrng(seed);
  const gauss = gaussian(rand);
  const A = Float64Array.from({ length: features * latent }, () => gauss() * 1.5);
  const B = Float64Array.from({ length: features * latent }, () => gauss() * 0.5);
  const offset = Float64Array.from({ length: features }, () => gauss() * 3);
  const point = (u: Float64Array, out: Float32Array, o: number, g: () => number): void => {
    for (let f = 0; f < features; f++) {
      let lin = 0;
      let mix = 0;
      for (let k = 0; k < latent; k++) {
        lin += A[f * latent + k]! * u[k]!;
        mix += B[f * latent + k]! * u[k]!;
      }
      out[o + f] = offset[f]! + Math.tanh(lin) + mix + noise * g();
    }
  };
  const normal = (n: number, s: number): Float32Array => {
    const g = gaussian(createPrng(s));
    const out = new Float32Array(n * features);
    const u = new Float64Array(latent);
    for (let r = 0; r < n; r++) {
      for (let k = 0; k < latent; k++) u[k] = g();
      point(u, out, r * features, g);
    }
    return out;
  };
  const anomalous = (n: number, s: number): Float32Array => {
    // Each feature comes from a different normal row: marginals match, correlations do not.
    const pool = normal(n * features, s ^ 0x5bd1e995);
    const out = new Float32Array(n * features);
    for (let r = 0; r < n; r++) {
      for (let f = 0; f < features; f++) out[r * features + f] = pool[(r * features + f) * features + f]!;
    }
    return out;
  };
  return { features, normal, anomalous };
}

/** Box-Muller standard normal from a uniform PRNG. */
export function gaussian(rand: () => number): () => number {
  return () => {
    const u = 1 - rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };
}
