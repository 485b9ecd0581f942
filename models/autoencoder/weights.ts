/**
 * The trained anomaly model as plain numbers: what training (models/train) produces and the ONNX
 * writer (models/onnx) exports. No TensorFlow.js or onnxruntime type crosses this boundary, so
 * either side can change library without the other noticing.
 *
 * The model is a dense autoencoder over one feature row (models/features, schema v1):
 *   z = (x - mean) / scale                      (per-feature standardisation, learned from data)
 *   h = layers[n-1](...layers[0](z))             (encoder then decoder; last layer outputs `features`)
 *   contribution[i] = weight[i] * (z[i] - h[i])^2  (per-feature share of the anomaly)
 *   score = sum_i contribution[i]
 */

export type Activation = 'relu' | 'tanh' | 'sigmoid' | 'linear';

export interface DenseLayer {
  inputs: number;
  outputs: number;
  /** Row-major [inputs][outputs]: kernel[i * outputs + j] (the layout of tfjs `dense` kernels). */
  kernel: Float32Array;
  /** [outputs] */
  bias: Float32Array;
  activation: Activation;
}

export interface AutoencoderWeights {
  /** Width of a feature row. */
  features: number;
  /** [features] Subtracted from a row before scoring. */
  mean: Float32Array;
  /** [features] Divides the centred row; never 0 (constant features get 1). */
  scale: Float32Array;
  /** Encoder then decoder. layers[0].inputs === features === layers[last].outputs. */
  layers: DenseLayer[];
  /** [features] Per-feature weight of the squared error (1 unless training says otherwise). */
  featureWeights: Float32Array;
}
