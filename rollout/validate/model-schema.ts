/**
 * Schema checks of an ONNX model, with the engine's own code: inspectModel is the first half of
 * the engine's loadModel (decode, model card, feature schema version, graph against the card; pure
 * JavaScript, no native code runs on the candidate's bytes here), and ModelSlot.fits is the check
 * the engine's score stage makes before it puts a model in place (kind, and the exact feature
 * names in order: a model that expects 40 inputs where the engine writes 39 is refused there, and
 * blocks here). onnxruntime opens the model later, in the replay worker (model-replay.ts).
 */
import { silentLogger } from '../../common/log.js';
import { FEATURE_LAYOUTS, FEATURE_SCHEMA_VERSION } from '../../models/features/index.js';
import type { ModelCard } from '../../models/model-card.js';
import { inspectModel } from '../../models/onnx/index.js';
import { ModelSlot } from '../../engine/score/model-slot.js';
import { blockAll, pass, type Check } from './report.js';

export interface ModelSchema {
  card?: ModelCard;
  checks: Check[];
}

export function checkModelSchema(bytes: Uint8Array, file: string): ModelSchema {
  const inspected = inspectModel(bytes, FEATURE_SCHEMA_VERSION, file);
  if (!inspected.ok) return { checks: [blockAll('schema', [inspected.error], 'the engine\'s loader refuses the model')] };
  const card = inspected.value.card;
  const layout = FEATURE_LAYOUTS[card.kind];
  const slot = new ModelSlot({ kind: card.kind, featureNames: layout.names, maxRows: 1, maxDelayMs: 0 }, () => {}, silentLogger);
  const fits = slot.fits(card, file);
  if (!fits.ok) return { card, checks: [blockAll('schema', [fits.error], 'the model does not fit the engine\'s feature rows')] };
  return {
    card,
    checks: [pass('schema', `${card.kind} model ${card.name} ${card.version}: ${card.featureNames.length} inputs in the engine's ${FEATURE_SCHEMA_VERSION} order`,
      { inputs: card.featureNames.length, threshold: card.threshold })],
  };
}
