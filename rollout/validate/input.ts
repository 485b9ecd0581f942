/**
 * What the validator is given, as bytes: a .vbundle (checked by rollout/bundle against the pinned
 * root, every problem kept, the same checks a sensor runs), or, for convenience, a raw signature
 * pack (.json) or ONNX model (.onnx), whose bundle checks are then reported as skipped.
 */
import { extname } from 'node:path';
import type { Result, VigieProblem } from '../../common/errors.js';
import { FEATURE_SCHEMA_VERSION } from '../../models/features/index.js';
import { BUNDLE_MAGIC, decodeFrame, inspectBundle, manifestProblems } from '../bundle/index.js';
import type { BundleManifest, ContentKind } from '../bundle/manifest.js';
import { PACK_FIELD_SCHEMA } from '../bundle/schemas.js';
import type { TrustStore } from '../trust/index.js';
import { blockAll } from './report.js';
import type { ValidationReport } from './report.js';
import type { ContentUnderTest, CurrentContent } from './validate.js';

export function isBundle(bytes: Uint8Array): boolean {
  return bytes.length >= BUNDLE_MAGIC.length && Buffer.from(bytes.buffer, bytes.byteOffset, BUNDLE_MAGIC.length).equals(BUNDLE_MAGIC);
}

/** A raw file's kind: by extension, else by its first byte (a pack is JSON, a model is protobuf). */
export function rawKind(file: string, bytes: Uint8Array): ContentKind {
  const ext = extname(file).toLowerCase();
  if (ext === '.onnx') return 'model';
  if (ext === '.json') return 'signatures';
  const first = bytes.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
  return first === 0x7b ? 'signatures' : 'model';
}

export interface BundleContext {
  /** The pinned root, or why there is none (then nothing can verify, and the bundle check blocks). */
  trust: Result<TrustStore>;
  nowMs: number;
  sensorVersion?: string;
  engineVersion?: string;
}

export type ReadContent = { ok: true; content: ContentUnderTest } | { ok: false; report: ValidationReport };

export function contentFromBytes(file: string, bytes: Uint8Array, ctx: BundleContext): ReadContent {
  if (!isBundle(bytes)) return { ok: true, content: { kind: rawKind(file, bytes), payload: bytes, file } };
  let signed: unknown;
  let payload: Uint8Array | undefined;
  let problems: VigieProblem[];
  if (ctx.trust.ok) {
    const report = inspectBundle(bytes, ctx.trust.value, {
      nowMs: ctx.nowMs, file, featureSchemas: [PACK_FIELD_SCHEMA, FEATURE_SCHEMA_VERSION],
      ...(ctx.sensorVersion !== undefined ? { sensorVersion: ctx.sensorVersion } : {}),
      ...(ctx.engineVersion !== undefined ? { engineVersion: ctx.engineVersion } : {}),
    });
    signed = report.manifest?.signed;
    payload = report.payload;
    problems = report.problems;
  } else {
    // Without a root nothing verifies: the bundle blocks, the content is still checked.
    const frame = decodeFrame(bytes, file);
    signed = frame.ok ? frame.value.manifest.signed : undefined;
    payload = frame.ok ? frame.value.payload : undefined;
    problems = frame.ok ? [ctx.trust.error] : [ctx.trust.error, frame.error];
  }
  if (payload === undefined) return { ok: false, report: unreadable(file, problems) };
  const shapeOk = manifestProblems(signed, file).length === 0;
  const manifest = shapeOk ? (signed as BundleManifest) : undefined;
  const claimed = (signed as { kind?: unknown } | undefined)?.kind;
  const kind: ContentKind = manifest?.kind ?? (claimed === 'model' || claimed === 'signatures' ? claimed : rawKind('', payload));
  return { ok: true, content: { kind, payload, file, bundleProblems: problems, ...(manifest ? { manifest } : {}) } };
}

/** The current version: a bundle's payload (already trusted: it is what runs) or a raw file. */
export function currentFromBytes(file: string, bytes: Uint8Array): Result<CurrentContent> {
  if (!isBundle(bytes)) return { ok: true, value: { payload: bytes, file } };
  const frame = decodeFrame(bytes, file);
  return frame.ok ? { ok: true, value: { payload: frame.value.payload, file } } : frame;
}

function unreadable(file: string, problems: VigieProblem[]): ValidationReport {
  return {
    bundle: { kind: 'unknown', name: file, version: '', sha256: '' },
    blocked: true,
    checks: [blockAll('bundle', problems, 'the bundle cannot be read')],
    corpus: { source: 'none: the bundle could not be read', events: 0, simulated: false },
    durationMs: 0,
  };
}
