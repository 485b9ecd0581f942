/**
 * What a bundle carries, read from the content itself: a signature pack's name and version from
 * the pack JSON (signatures/pack), a model's from its model card in the ONNX metadata
 * (models/onnx inspect: no onnxruntime session is opened). The content is fully checked on the
 * way (pack structure; model card and graph), so nothing unreadable gets signed.
 */
import type { Result, VigieProblem } from '../../common/errors.js';
import { fail, ok } from '../../common/errors.js';
import { MODEL_CARD_KEY } from '../../models/model-card.js';
import { inspectModel } from '../../models/onnx/inspect.js';
import { onnx } from '../../proto/gen/onnx.js';
import { parsePack } from '../../signatures/pack/io.js';
import type { ContentKind } from './manifest.js';
import { PACK_FIELD_SCHEMA } from './schemas.js';

export { PACK_FIELD_SCHEMA };

export interface ContentInfo {
  kind: ContentKind;
  name: string;
  version: string;
  featureSchema: string;
}

/** Name, version and feature schema of content bytes; every problem found when it is unreadable. */
export function describeContent(kind: ContentKind, bytes: Uint8Array, file: string): { ok: true; value: ContentInfo } | { ok: false; problems: VigieProblem[] } {
  if (kind === 'signatures') {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return { ok: false, problems: [{ code: 'VIGIE_PACK_INVALID', message: 'a signature pack must be UTF-8 JSON', location: { file } }] };
    }
    const read = parsePack(text, file);
    if (!read.ok) return read;
    return { ok: true, value: { kind, name: read.value.name, version: read.value.version, featureSchema: PACK_FIELD_SCHEMA } };
  }
  const card = modelCardSchema(bytes, file);
  if (!card.ok) return { ok: false, problems: [card.error] };
  // The card's own schema is the expected one here: bundling does not judge which schema this
  // build speaks (the manifest carries it, and each reader checks it against its own).
  const inspected = inspectModel(bytes, card.value, file);
  if (!inspected.ok) return { ok: false, problems: [inspected.error] };
  const c = inspected.value.card;
  return { ok: true, value: { kind, name: c.name, version: c.version, featureSchema: c.featureSchemaVersion } };
}

/** featureSchemaVersion from the model card, read just far enough to call inspectModel with it. */
function modelCardSchema(bytes: Uint8Array, file: string): Result<string> {
  let props: onnx.IStringStringEntryProto[];
  try {
    props = onnx.ModelProto.decode(bytes).metadataProps;
  } catch (e) {
    return fail('VIGIE_MODEL_INVALID', `not an ONNX model (${(e as Error).message})`, { file });
  }
  const raw = props.find((p) => p.key === MODEL_CARD_KEY)?.value;
  try {
    const schema = (JSON.parse(raw ?? '') as { featureSchemaVersion?: unknown }).featureSchemaVersion;
    if (typeof schema === 'string') return ok(schema);
  } catch {
    // reported below, and in full by inspectModel's card check
  }
  return fail('VIGIE_MODEL_INVALID', `the model card (${MODEL_CARD_KEY}) is missing or has no featureSchemaVersion`, { file, field: MODEL_CARD_KEY });
}
