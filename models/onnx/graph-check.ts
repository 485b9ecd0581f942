/**
 * Checks the decoded ONNX graph against what the engine will feed and read (contract.ts):
 * one float32 input `features` [batch, width], float32 outputs `contributions` [batch, width] and
 * `score` [batch], and every tensor stored inside the file. Reports every problem.
 */
import type { VigieProblem } from '../../common/errors.js';
import { onnx } from '../../proto/gen/onnx.js';
import { CONTRIBUTIONS_NAME, INPUT_NAME, SCORE_NAME } from './contract.js';

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const EXTERNAL = onnx.TensorProto.DataLocation.EXTERNAL;

export function checkGraph(graph: onnx.IGraphProto, width: number): VigieProblem[] {
  const problems: VigieProblem[] = [];
  const bad = (field: string, message: string): void => {
    problems.push({ code: 'VIGIE_MODEL_INVALID', message, location: { field } });
  };
  // Before IR 4 initializers were also listed as inputs: those are not fed by the engine.
  const initializers = new Set((graph.initializer ?? []).map((t) => t.name ?? ''));
  const inputs = (graph.input ?? []).filter((v) => !initializers.has(v.name ?? ''));
  const inputNames = inputs.map((v) => v.name ?? '');
  if (inputNames.length !== 1 || inputNames[0] !== INPUT_NAME) {
    bad('graph.input', `the model must take exactly one input '${INPUT_NAME}', it takes [${inputNames.join(', ')}]`);
  } else {
    checkValue(inputs[0]!, [undefined, width], 'graph.input', bad);
  }
  const outputs = graph.output ?? [];
  const outputNames = outputs.map((v) => v.name ?? '').sort();
  const expected = [CONTRIBUTIONS_NAME, SCORE_NAME].sort();
  if (outputNames.join(',') !== expected.join(',')) {
    bad('graph.output', `the model must output exactly [${expected.join(', ')}], it outputs [${outputNames.join(', ')}]`);
  } else {
    for (const out of outputs) {
      checkValue(out, out.name === SCORE_NAME ? [undefined] : [undefined, width], 'graph.output', bad);
    }
  }
  (graph.initializer ?? []).forEach((t, i) => checkInternal(t, `graph.initializer[${i}]`, bad));
  (graph.node ?? []).forEach((n, i) => (n.attribute ?? []).forEach((a) => {
    if (a.t) checkInternal(a.t, `graph.node[${i}].attribute.${a.name ?? ''}`, bad);
    if (a.g || (a.graphs ?? []).length > 0) bad(`graph.node[${i}]`, `node '${n.name ?? ''}' has a subgraph; Vigie models are flat`);
  }));
  return problems;
}

/** A float32 tensor whose rank and fixed dimensions are `dims` (undefined: any, e.g. the batch). */
function checkValue(v: onnx.IValueInfoProto, dims: (number | undefined)[], field: string,
  bad: (field: string, message: string) => void): void {
  const tensor = v.type?.tensorType;
  const name = v.name ?? '';
  if (!tensor || tensor.elemType !== FLOAT) {
    bad(field, `'${name}' must be a float32 tensor`);
    return;
  }
  const shape = tensor.shape?.dim ?? [];
  if (shape.length !== dims.length) {
    bad(field, `'${name}' must have rank ${dims.length}, it has rank ${shape.length}`);
    return;
  }
  dims.forEach((want, i) => {
    const got = shape[i]?.dimParam || shape[i]?.dimValue; // a symbolic dimension is not a fixed width
    if (want !== undefined && got !== want) {
      bad(field, `'${name}' dimension ${i} must be ${want} (the card's feature count), it is ${got ?? '?'}`);
    }
  });
}

/** Data in another file would make onnxruntime read a path named by the model: refuse it. */
function checkInternal(t: onnx.ITensorProto, field: string, bad: (field: string, message: string) => void): void {
  if (t.dataLocation === EXTERNAL || (t.externalData ?? []).length > 0) {
    bad(field, `tensor '${t.name ?? ''}' keeps its data in an external file; a model must be one self-contained file`);
  }
}
