/**
 * What the exporter writes and the loader insists on: the names, versions and layout shared by
 * export.ts and load.ts. Change one side only through here.
 */

/** ONNX IR version 8 (ONNX 1.10+): opset 17 needs at least IR 8, and every runtime since 2021 reads it. */
export const IR_VERSION = 8;
/** Default-domain opset. 13+ takes ReduceSum axes as an input tensor; 17 is what we test against. */
export const OPSET_VERSION = 17;
export const PRODUCER_NAME = 'vigie';
/** Version of this exporter (not of the model): bump when the graph layout changes. */
export const PRODUCER_VERSION = 'vigie.onnx-export/1';
export const MODEL_CARD_FORMAT = 'vigie.model-card/1';

/** Graph input: float32 [batch, F], raw feature rows (standardised inside the graph). */
export const INPUT_NAME = 'features';
/** Graph output: float32 [batch, F], featureWeights * (z - h)^2. */
export const CONTRIBUTIONS_NAME = 'contributions';
/** Graph output: float32 [batch], the anomaly score (sum of the contributions of a row). */
export const SCORE_NAME = 'score';
/** Symbolic name of the dynamic first dimension. */
export const BATCH_DIM = 'batch';

/**
 * ModelProto.model_version is an int64; the card's version is semver. major*1e6 + minor*1e3 +
 * patch keeps the order of versions (minor and patch below 1000). A pre-release suffix is ignored.
 * Returns undefined when `version` does not start with x.y.z or a part is out of range.
 */
export function modelVersionNumber(version: string): number | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(version);
  if (!m) return undefined;
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (minor >= 1000 || patch >= 1000 || major >= 1_000_000) return undefined;
  return major * 1_000_000 + minor * 1_000 + patch;
}
