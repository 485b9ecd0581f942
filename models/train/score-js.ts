/**
 * Reference scorer: AutoencoderWeights evaluated in plain JavaScript, exactly as weights.ts
 * defines the model. Used to calibrate thresholds and as the oracle that the ONNX export and the
 * tfjs model are tested against. Arithmetic is float64 over float32 weights, so it differs from
 * float32 runtimes (tfjs, onnxruntime) by rounding only (~1e-6 relative).
 */
import type { Activation, AutoencoderWeights } from '../autoencoder/weights.js';

export interface JsScores {
  /** [n] anomaly score per row: sum of its contributions. */
  scores: Float64Array;
  /** [n * features] per-feature contributions, row-major; only when requested. */
  contributions?: Float64Array;
}

/** Scores `rows` (n * features numbers, row-major). No clipping: extreme values score high. */
export function scoreRowsJs(w: AutoencoderWeights, rows: Float32Array, opts: { contributions?: boolean } = {}): JsScores {
  const F = w.features;
  if (rows.length % F !== 0) throw new RangeError(`rows length ${rows.length} is not a multiple of ${F} features`);
  const n = rows.length / F;
  const scores = new Float64Array(n);
  const contributions = opts.contributions ? new Float64Array(n * F) : undefined;
  const widest = Math.max(F, ...w.layers.map((l) => l.outputs));
  const z = new Float64Array(F);
  let a = new Float64Array(widest);
  let b = new Float64Array(widest);
  for (let r = 0; r < n; r++) {
    const o = r * F;
    for (let i = 0; i < F; i++) z[i] = (rows[o + i]! - w.mean[i]!) / w.scale[i]!;
    a.set(z);
    for (const l of w.layers) {
      for (let j = 0; j < l.outputs; j++) b[j] = l.bias[j]!;
      for (let i = 0; i < l.inputs; i++) {
        const ai = a[i]!;
        if (ai === 0) continue;
        const row = i * l.outputs;
        for (let j = 0; j < l.outputs; j++) b[j]! += ai * l.kernel[row + j]!;
      }
      for (let j = 0; j < l.outputs; j++) b[j] = activate(l.activation, b[j]!);
      const t = a;
      a = b;
      b = t;
    }
    let s = 0;
    for (let i = 0; i < F; i++) {
      const d = z[i]! - a[i]!;
      const c = w.featureWeights[i]! * d * d;
      if (contributions) contributions[o + i] = c;
      s += c;
    }
    scores[r] = s;
  }
  return contributions ? { scores, contributions } : { scores };
}

function activate(kind: Activation, x: number): number {
  switch (kind) {
    case 'relu':
      return x > 0 ? x : 0;
    case 'tanh':
      return Math.tanh(x);
    case 'sigmoid':
      return 1 / (1 + Math.exp(-x));
    case 'linear':
      return x;
  }
}
