/**
 * Trains the dense autoencoder (models/autoencoder/weights.ts) on benign feature rows.
 *
 * Reproducible by construction: one seeded PRNG (prng.ts) drives the validation split, every
 * epoch's shuffle and each layer's glorotUniform seed; tfjs's own shuffle is off; the WASM
 * backend runs single-threaded under Node. Same rows + same options => bit-identical weights
 * on the same backend (cpu and wasm differ from each other in the last bits).
 */
import * as tf from '@tensorflow/tfjs';
import { fail, ok, type Result } from '../../common/errors.js';
import type { AutoencoderWeights } from '../autoencoder/weights.js';
import { weightsFromModel } from './export-weights.js';
import { parseTrainOptions, type TrainOptions } from './options.js';
import { createPrng, nextSeed, permutation } from './prng.js';
import { checkRows, fitStandardisation, standardiseRows } from './standardise.js';

export interface TrainProgress {
  epoch: number;
  /** The configured maximum; training may stop earlier. */
  epochs: number;
  loss: number;
  /** NaN when validationSplit is 0. */
  valLoss: number;
  /** Training rows per second over this epoch's gradient steps. */
  rowsPerSecond: number;
  elapsedMs: number;
}

export interface TrainHistory {
  loss: number[];
  valLoss: number[];
  /** 1-based epoch whose weights were kept (lowest validation loss). */
  bestEpoch: number;
  stoppedEarly: boolean;
  trainRows: number;
  validationRows: number;
  /** tfjs backend the model trained on ('wasm' or 'cpu'): weights are bit-reproducible per backend. */
  backend: string;
  elapsedMs: number;
}

export interface TrainedAutoencoder {
  weights: AutoencoderWeights;
  history: TrainHistory;
  /** Validated options with defaults filled, for the model card's `training` record. */
  options: TrainOptions;
  /** Row indices held out for validation (sorted), so callers can calibrate on them. */
  validationIdx: Uint32Array;
}

export type ProgressCallback = (p: TrainProgress) => void;

/**
 * `rows` is n*F numbers, row-major. Expected failures are values: VIGIE_DATA_INVALID for bad
 * rows (wrong length, too few, NaN/Infinity), VIGIE_CONFIG_INVALID for bad options.
 * Call initTrainingBackend() first; training runs on whatever backend tfjs is using.
 */
export async function trainAutoencoder(
  rows: Float32Array,
  features: number,
  options: Record<string, unknown> = {},
  onProgress?: ProgressCallback,
): Promise<Result<TrainedAutoencoder>> {
  const parsed = parseTrainOptions(options);
  if (!parsed.ok) return parsed;
  const opts = parsed.value;
  const counted = checkRows(rows, features, opts.validationSplit > 0 ? 2 : 1);
  if (!counted.ok) return counted;
  const n = counted.value;

  const rand = createPrng(opts.seed);
  const order = permutation(n, rand);
  const nVal = opts.validationSplit > 0 ? Math.min(n - 1, Math.max(1, Math.round(n * opts.validationSplit))) : 0;
  const validationIdx = order.slice(0, nVal).sort();
  const trainIdx = order.slice(nVal);
  const nTrain = trainIdx.length;

  const stdz = fitStandardisation(rows, features, trainIdx, opts.scaleFloor);
  const trainZ = standardiseRows(rows, features, trainIdx, stdz, opts.clipZ);
  const valT = nVal > 0 ? tf.tensor2d(standardiseRows(rows, features, validationIdx, stdz, opts.clipZ), [nVal, features]) : undefined;

  const model = buildModel(features, opts, rand);
  const started = Date.now();
  const history: TrainHistory = {
    loss: [], valLoss: [], bestEpoch: 0, stoppedEarly: false, trainRows: nTrain, validationRows: nVal, backend: tf.getBackend(), elapsedMs: 0,
  };
  let best = Infinity;
  let bestWeights: Float32Array[] | undefined;
  let waited = 0;
  const epochRows = new Float32Array(nTrain * features);
  try {
    for (let epoch = 1; epoch <= opts.epochs; epoch++) {
      // Our own seeded shuffle (tfjs's shuffle uses Math.random): gather rows in a fresh order.
      const perm = permutation(nTrain, rand);
      for (let k = 0; k < nTrain; k++) epochRows.set(trainZ.subarray(perm[k]! * features, (perm[k]! + 1) * features), k * features);
      const x = tf.tensor2d(epochRows, [nTrain, features]);
      const t0 = performance.now();
      let loss: number;
      try {
        const h = await model.fit(x, x, { batchSize: opts.batchSize, epochs: 1, shuffle: false, verbose: 0 });
        loss = Number(h.history['loss']?.[0]);
      } finally {
        x.dispose();
      }
      const fitMs = performance.now() - t0;
      const valLoss = valT ? evaluate(model, valT, opts.batchSize) : NaN;
      history.loss.push(loss);
      history.valLoss.push(valLoss);
      onProgress?.({
        epoch, epochs: opts.epochs, loss, valLoss, rowsPerSecond: nTrain / Math.max(fitMs / 1000, 1e-9), elapsedMs: Date.now() - started,
      });
      if (!Number.isFinite(loss)) {
        return fail('VIGIE_DATA_INVALID', `training diverged at epoch ${epoch} (loss ${loss}); lower learningRate or check feature scaling`);
      }
      // Early stopping monitors validation loss, or training loss when nothing is held out.
      const monitored = valT ? valLoss : loss;
      if (monitored < best - opts.minDelta) {
        best = monitored;
        history.bestEpoch = epoch;
        bestWeights = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
        waited = 0;
      } else if (++waited >= opts.patience) {
        history.stoppedEarly = epoch < opts.epochs;
        break;
      }
    }
    if (bestWeights) {
      const saved = bestWeights;
      tf.tidy(() => model.setWeights(model.getWeights().map((w, i) => tf.tensor(saved[i]!, w.shape))));
    }
    history.elapsedMs = Date.now() - started;
    return ok({ weights: weightsFromModel(model, stdz), history, options: opts, validationIdx });
  } finally {
    valT?.dispose();
    model.optimizer?.dispose();
    model.dispose();
  }
}

function buildModel(features: number, opts: TrainOptions, rand: () => number): tf.Sequential {
  const model = tf.sequential();
  const widths = [...opts.hidden, features];
  widths.forEach((units, i) => {
    model.add(
      tf.layers.dense({
        units,
        activation: i === widths.length - 1 ? 'linear' : (opts.hiddenActivation as 'relu' | 'tanh' | 'sigmoid' | 'linear'),
        kernelInitializer: tf.initializers.glorotUniform({ seed: nextSeed(rand) }),
        biasInitializer: 'zeros',
        ...(i === 0 ? { inputShape: [features] } : {}),
      }),
    );
  });
  model.compile({ optimizer: tf.train.adam(opts.learningRate), loss: 'meanSquaredError' });
  return model;
}

/** Mean squared reconstruction error over the validation rows, in batches to bound memory. */
function evaluate(model: tf.Sequential, valT: tf.Tensor2D, batchSize: number): number {
  return tf.tidy(() => {
    const out = model.evaluate(valT, valT, { batchSize: Math.max(batchSize, 1024), verbose: 0 });
    return (Array.isArray(out) ? out[0]! : out).dataSync()[0]!;
  });
}
