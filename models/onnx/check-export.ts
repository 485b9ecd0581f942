/**
 * What must hold before a model is written: the weights chain from `features` back to `features`,
 * every array has the length its layer says and holds only finite numbers, no scale is 0, and the
 * card describes the same width. Reports every problem, not only the first.
 */
import type { VigieProblem } from '../../common/errors.js';
import type { AutoencoderWeights } from '../autoencoder/weights.js';
import type { ModelCard } from '../model-card.js';
import { modelVersionNumber } from './contract.js';

const ACTIVATIONS = new Set(['relu', 'tanh', 'sigmoid', 'linear']);

export function checkExportable(weights: AutoencoderWeights, card: ModelCard): VigieProblem[] {
  const problems: VigieProblem[] = [];
  const bad = (field: string, message: string): void => {
    problems.push({ code: 'VIGIE_MODEL_INVALID', message, location: { field } });
  };
  const f = weights.features;
  if (!Number.isInteger(f) || f < 1) bad('features', `features must be a positive integer, got ${f}`);
  const vector = (field: string, v: Float32Array, length: number, nonZero = false): void => {
    if (v.length !== length) bad(field, `${field} has ${v.length} values, expected ${length}`);
    else if (!v.every(Number.isFinite)) bad(field, `${field} holds a NaN or infinite value`);
    else if (nonZero && v.some((x) => x === 0)) bad(field, `${field} holds a 0 (constant features must get 1)`);
  };
  vector('mean', weights.mean, f);
  vector('scale', weights.scale, f, true);
  vector('featureWeights', weights.featureWeights, f);
  if (weights.layers.length === 0) bad('layers', 'an autoencoder needs at least one layer');
  let width = f;
  weights.layers.forEach((layer, i) => {
    const at = `layers[${i}]`;
    if (layer.inputs !== width) bad(`${at}.inputs`, `${at} takes ${layer.inputs} inputs but receives ${width}`);
    if (!Number.isInteger(layer.outputs) || layer.outputs < 1) bad(`${at}.outputs`, `${at}.outputs must be a positive integer`);
    if (!ACTIVATIONS.has(layer.activation)) bad(`${at}.activation`, `${at} has unknown activation '${layer.activation}'`);
    vector(`${at}.kernel`, layer.kernel, layer.inputs * layer.outputs);
    vector(`${at}.bias`, layer.bias, layer.outputs);
    width = layer.outputs;
  });
  if (weights.layers.length > 0 && width !== f) bad('layers', `the last layer outputs ${width} values, expected ${f}`);
  if (card.featureNames.length !== f) {
    bad('card.featureNames', `the card names ${card.featureNames.length} features, the weights have ${f}`);
  }
  if (modelVersionNumber(card.version) === undefined) {
    bad('card.version', `card.version '${card.version}' is not semver x.y.z (minor and patch below 1000)`);
  }
  return problems;
}
