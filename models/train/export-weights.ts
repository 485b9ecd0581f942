/**
 * tfjs dense layers <-> AutoencoderWeights (plain numbers). tfjs stores a dense kernel as
 * [inputs, units] and dataSync() is row-major, which is exactly DenseLayer.kernel's layout,
 * so export is a copy; tests check the round trip against model.predict.
 */
import * as tf from '@tensorflow/tfjs';
import type { Activation, AutoencoderWeights, DenseLayer } from '../autoencoder/weights.js';
import type { Standardisation } from './standardise.js';

const ACTIVATIONS: readonly Activation[] = ['relu', 'tanh', 'sigmoid', 'linear'];

/** Copies a sequential stack of dense layers out of tfjs. featureWeights default to 1. */
export function weightsFromModel(model: tf.LayersModel, s: Standardisation, featureWeights?: Float32Array): AutoencoderWeights {
  const layers: DenseLayer[] = model.layers.map((layer, i) => {
    const [kernel, bias] = layer.getWeights();
    if (!kernel || !bias || kernel.shape.length !== 2) throw new Error(`layer ${i} (${layer.name}) is not a dense layer with a bias`);
    const activation = (layer.getConfig() as { activation?: unknown }).activation;
    if (!ACTIVATIONS.includes(activation as Activation)) throw new Error(`layer ${i} has unsupported activation ${String(activation)}`);
    return {
      inputs: kernel.shape[0]!,
      outputs: kernel.shape[1]!,
      kernel: Float32Array.from(kernel.dataSync()),
      bias: Float32Array.from(bias.dataSync()),
      activation: activation as Activation,
    };
  });
  const features = s.mean.length;
  return {
    features,
    mean: Float32Array.from(s.mean),
    scale: Float32Array.from(s.scale),
    layers,
    featureWeights: featureWeights ? Float32Array.from(featureWeights) : new Float32Array(features).fill(1),
  };
}

/** Builds a tfjs model computing h(z) from exported weights (for checks and further training). */
export function modelFromWeights(w: AutoencoderWeights): tf.Sequential {
  const model = tf.sequential();
  w.layers.forEach((l, i) => {
    model.add(tf.layers.dense({ units: l.outputs, activation: l.activation, ...(i === 0 ? { inputShape: [l.inputs] } : {}) }));
  });
  model.layers.forEach((layer, i) => {
    const l = w.layers[i]!;
    // setWeights copies into the layer's variables; tidy frees the temporaries.
    tf.tidy(() => layer.setWeights([tf.tensor2d(l.kernel, [l.inputs, l.outputs]), tf.tensor1d(l.bias)]));
  });
  return model;
}
