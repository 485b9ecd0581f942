/**
 * Small builders for the ONNX messages export.ts writes: initializers (raw_data, little-endian
 * whatever the host), tensor value infos and nodes. Plain objects of the generated interfaces.
 */
import { onnx } from '../../proto/gen/onnx.js';

const { DataType } = onnx.TensorProto;

/** A float32 initializer of shape `dims`; the values are written little-endian in raw_data. */
export function floatInitializer(name: string, dims: number[], values: Float32Array): onnx.ITensorProto {
  const raw = new Uint8Array(values.length * 4);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return { name, dims, dataType: DataType.FLOAT, rawData: raw };
}

/** An int64 initializer (ReduceSum axes); values are small, so numbers are exact. */
export function int64Initializer(name: string, dims: number[], values: number[]): onnx.ITensorProto {
  const raw = new Uint8Array(values.length * 8);
  const view = new DataView(raw.buffer);
  values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
  return { name, dims, dataType: DataType.INT64, rawData: raw };
}

/** A float32 tensor type whose dimensions are numbers (fixed) or strings (symbolic). */
export function floatValueInfo(name: string, dims: (number | string)[]): onnx.IValueInfoProto {
  const dim = dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType: DataType.FLOAT, shape: { dim } } } };
}

/** A default-domain node. Attributes are given already built (see intAttribute). */
export function node(opType: string, name: string, inputs: string[], outputs: string[],
  attribute: onnx.IAttributeProto[] = []): onnx.INodeProto {
  return { opType, name, input: inputs, output: outputs, attribute };
}

export function intAttribute(name: string, value: number): onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INT, i: value };
}
