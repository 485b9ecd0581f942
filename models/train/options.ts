/**
 * Training hyper-parameters: one schema (STYLE.md §7), validated before any tensor is made.
 * Every value ends up in the model card's `training` record, seed included.
 */
import { fail, ok, type Result } from '../../common/errors.js';
import { parseConfig, type ConfigOf } from '../../common/config/schema.js';

export const trainOptionsSchema = {
  seed: { type: 'integer', default: 1, min: 0, max: 0x7fffffff, doc: 'seeds the split, the per-epoch shuffles and every weight initialiser' },
  hiddenLayers: { type: 'string', default: '32,8,32', doc: 'comma-separated hidden widths, encoder then decoder (F -> 32 -> 8 -> 32 -> F)' },
  hiddenActivation: { type: 'string', default: 'relu', enum: ['relu', 'tanh', 'sigmoid', 'linear'], doc: 'activation of every hidden layer; the output layer is linear' },
  epochs: { type: 'integer', default: 50, min: 1, max: 10_000, doc: 'maximum passes over the training split' },
  batchSize: { type: 'integer', default: 256, min: 1, max: 65_536, doc: 'rows per gradient step' },
  learningRate: { type: 'number', default: 0.001, min: 1e-7, max: 1, doc: 'Adam learning rate' },
  validationSplit: { type: 'number', default: 0.1, min: 0, max: 0.5, doc: 'fraction of rows held out (seeded) for validation loss and early stopping' },
  patience: { type: 'integer', default: 5, min: 1, max: 10_000, doc: 'epochs without a validation-loss improvement before stopping' },
  minDelta: { type: 'number', default: 0, min: 0, doc: 'smallest decrease of validation loss that counts as an improvement' },
  clipZ: { type: 'number', default: 8, min: 1, doc: 'standardised training inputs are clipped to [-clipZ, clipZ]' },
  scaleFloor: { type: 'number', default: 0, min: 0, max: 1, doc: 'least standard deviation a varying feature is divided by (0: none); a feature constant in training keeps scale 1' },
} as const;

export type TrainOptionsConfig = ConfigOf<typeof trainOptionsSchema>;

export interface TrainOptions extends TrainOptionsConfig {
  /** Parsed `hiddenLayers`. */
  hidden: readonly number[];
}

/** Validates and fills defaults; VIGIE_CONFIG_INVALID lists every problem. */
export function parseTrainOptions(input: Record<string, unknown> = {}, where = 'train options'): Result<TrainOptions> {
  const parsed = parseConfig(trainOptionsSchema, input, where);
  if (!parsed.ok) return parsed;
  const parts = parsed.value.hiddenLayers.split(',').map((s) => s.trim());
  const hidden = parts.map(Number);
  if (parts.length === 0 || hidden.some((h) => !Number.isInteger(h) || h < 1 || h > 4096)) {
    return fail('VIGIE_CONFIG_INVALID', `"hiddenLayers" must be comma-separated integers in 1..4096, got "${parsed.value.hiddenLayers}"`, {
      file: where,
      field: 'hiddenLayers',
    });
  }
  return ok(Object.freeze({ ...parsed.value, hidden: Object.freeze(hidden) }));
}
