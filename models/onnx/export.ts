/**
 * Writes a trained autoencoder (models/autoencoder/weights.ts) as one self-contained ONNX file
 * whose graph computes the anomaly score and its per-feature contributions; the model card rides
 * in metadata_props. The graph is drawn in README.md.
 */
import { VigieError } from '../../common/errors.js';
import type { AutoencoderWeights, DenseLayer } from '../autoencoder/weights.js';
import { MODEL_CARD_KEY } from '../model-card.js';
import type { ModelCard } from '../model-card.js';
import { onnx } from '../../proto/gen/onnx.js';
import { checkExportable } from './check-export.js';
import {
  BATCH_DIM, CONTRIBUTIONS_NAME, INPUT_NAME, IR_VERSION, OPSET_VERSION, PRODUCER_NAME,
  PRODUCER_VERSION, SCORE_NAME, modelVersionNumber,
} from './contract.js';
import { floatInitializer, floatValueInfo, int64Initializer, intAttribute, node } from './tensors.js';

const ACTIVATION_OP: Record<DenseLayer['activation'], string | undefined> = {
  relu: 'Relu', tanh: 'Tanh', sigmoid: 'Sigmoid', linear: undefined,
};

/**
 * The ONNX bytes of `weights`, described by `card`. Throws VigieError(VIGIE_MODEL_INVALID) listing
 * every problem when the weights and card do not fit together (see checkExportable): a bug of
 * the training step, not something to score with.
 */
export function exportAutoencoder(weights: AutoencoderWeights, card: ModelCard): Uint8Array {
  const problems = checkExportable(weights, card);
  if (problems.length > 0) {
    throw new VigieError('VIGIE_MODEL_INVALID', problems.map((p) => p.message).join('; '), problems[0]!.location);
  }
  const model: onnx.IModelProto = {
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET_VERSION }],
    producerName: PRODUCER_NAME,
    producerVersion: PRODUCER_VERSION,
    modelVersion: modelVersionNumber(card.version)!,
    docString: `${card.name} ${card.version}: dense autoencoder anomaly score (${card.kind} rows)`,
    graph: buildGraph(weights, card.name),
    metadataProps: [{ key: MODEL_CARD_KEY, value: JSON.stringify(card) }],
  };
  // protobufjs hands back a Node Buffer, often a view into Node's shared 8 KiB pool (and whose
  // slice() does not copy): return a plain Uint8Array that owns its memory.
  return new Uint8Array(onnx.ModelProto.encode(model).finish());
}

function buildGraph(w: AutoencoderWeights, name: string): onnx.IGraphProto {
  const f = w.features;
  const nodes: onnx.INodeProto[] = [];
  const initializer: onnx.ITensorProto[] = [
    floatInitializer('mean', [f], w.mean),
    floatInitializer('scale', [f], w.scale),
    floatInitializer('feature_weights', [f], w.featureWeights),
    int64Initializer('score_axes', [1], [1]),
  ];
  // z = (x - mean) / scale. Div rather than Mul by 1/scale: the same arithmetic as training.
  nodes.push(node('Sub', 'centre', [INPUT_NAME, 'mean'], ['centred']));
  nodes.push(node('Div', 'standardise', ['centred', 'scale'], ['z']));
  let h = 'z';
  w.layers.forEach((layer, i) => {
    const p = `layer${i}`;
    initializer.push(floatInitializer(`${p}_kernel`, [layer.inputs, layer.outputs], layer.kernel));
    initializer.push(floatInitializer(`${p}_bias`, [layer.outputs], layer.bias));
    nodes.push(node('MatMul', `${p}_matmul`, [h, `${p}_kernel`], [`${p}_xw`]));
    nodes.push(node('Add', `${p}_add`, [`${p}_xw`, `${p}_bias`], [`${p}_pre`]));
    const op = ACTIVATION_OP[layer.activation];
    h = `${p}_pre`;
    if (op !== undefined) {
      nodes.push(node(op, `${p}_${layer.activation}`, [h], [`${p}_out`]));
      h = `${p}_out`;
    }
  });
  // contributions = featureWeights * (z - h)^2; score = sum over the feature axis.
  nodes.push(node('Sub', 'residual', ['z', h], ['residual']));
  nodes.push(node('Mul', 'square', ['residual', 'residual'], ['squared']));
  nodes.push(node('Mul', 'weigh', ['squared', 'feature_weights'], [CONTRIBUTIONS_NAME]));
  nodes.push(node('ReduceSum', 'sum', [CONTRIBUTIONS_NAME, 'score_axes'], [SCORE_NAME], [intAttribute('keepdims', 0)]));
  return {
    name,
    node: nodes,
    initializer,
    input: [floatValueInfo(INPUT_NAME, [BATCH_DIM, f])],
    output: [floatValueInfo(CONTRIBUTIONS_NAME, [BATCH_DIM, f]), floatValueInfo(SCORE_NAME, [BATCH_DIM])],
  };
}
