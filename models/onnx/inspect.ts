/**
 * Reads an ONNX file's bytes with our schema (proto/onnx) before onnxruntime sees them: decodes
 * the protobuf, reads and checks the model card, refuses another feature schema, and checks the
 * graph's inputs and outputs against the card. Pure: no file and no session here (load.ts).
 */
import { fail, ok } from '../../common/errors.js';
import type { Result, VigieProblem } from '../../common/errors.js';
import { MODEL_CARD_KEY } from '../model-card.js';
import type { ModelCard } from '../model-card.js';
import { onnx } from '../../proto/gen/onnx.js';
import { checkModelCard } from './card-check.js';
import { checkGraph } from './graph-check.js';

export interface InspectedModel {
  card: ModelCard;
  /** Input width: card.featureNames.length, which the graph was checked to take. */
  width: number;
}

/**
 * `file` only names the bytes in error locations. Failures: VIGIE_MODEL_INVALID (not ONNX,
 * truncated, no or bad card, wrong inputs or outputs) or VIGIE_MODEL_SCHEMA (another feature schema).
 */
export function inspectModel(bytes: Uint8Array, expectedSchema: string, file: string): Result<InspectedModel> {
  let model: onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    return fail('VIGIE_MODEL_INVALID', `not an ONNX model (truncated or corrupt protobuf: ${(e as Error).message})`, { file });
  }
  if (!model.graph) return fail('VIGIE_MODEL_INVALID', 'not an ONNX model: it has no graph', { file, field: 'graph' });

  const cards = model.metadataProps.filter((p) => p.key === MODEL_CARD_KEY);
  if (cards.length !== 1) {
    const why = cards.length === 0 ? 'has no model card' : `has ${cards.length} model cards`;
    return fail('VIGIE_MODEL_INVALID', `the model ${why} (metadata_props key ${MODEL_CARD_KEY})`, { file, field: MODEL_CARD_KEY });
  }
  let json: unknown;
  try {
    json = JSON.parse(cards[0]!.value ?? '');
  } catch (e) {
    return fail('VIGIE_MODEL_INVALID', `the model card is not valid JSON: ${(e as Error).message}`, { file, field: MODEL_CARD_KEY });
  }
  const cardProblems = checkModelCard(json);
  if (cardProblems.length > 0) return failAll(cardProblems, file);
  const card = json as ModelCard;

  if (card.featureSchemaVersion !== expectedSchema) {
    return fail('VIGIE_MODEL_SCHEMA',
      `model ${card.name} ${card.version} was trained on feature schema '${card.featureSchemaVersion}'; ` +
      `this engine speaks '${expectedSchema}'`, { file, field: 'featureSchemaVersion' });
  }
  const width = card.featureNames.length;
  const graphProblems = checkGraph(model.graph, width);
  if (graphProblems.length > 0) return failAll(graphProblems, file);
  return ok({ card, width });
}

/** One result for several problems: every message, located at the first one's field. */
function failAll(problems: VigieProblem[], file: string): Result<never> {
  const first = problems[0]!;
  const message = problems.length === 1 ? first.message
    : `${problems.length} problems: ${problems.map((p) => p.message).join('; ')}`;
  return fail(first.code, message, { ...first.location, file });
}
