/**
 * The .vbundle file: one file that carries the signed manifest and the payload it binds.
 *
 *   offset 0   8 bytes   magic "VIGIEBU1" (the trailing digit is the container version)
 *   offset 8   u32 BE    M = length of the manifest JSON
 *   offset 12  M bytes   UTF-8 canonical JSON of Signed<BundleManifest>
 *   12+M       u64 BE    P = payload length
 *   20+M       P bytes   payload (signature pack JSON or ONNX model), nothing after it
 *
 * Lengths are explicit so a truncated download is caught here, before any JSON or crypto.
 */
import { fail, ok } from '../../common/errors.js';
import type { Result, VigieProblem } from '../../common/errors.js';
import { canonicalJson } from '../trust/canonical-json.js';
import { envelopeProblem } from '../trust/signed.js';
import type { Signed } from '../trust/signed.js';
import { manifestProblems } from './manifest-shape.js';
import type { BundleManifest } from './manifest.js';

export const BUNDLE_MAGIC = Buffer.from('VIGIEBU1', 'ascii');
/** A manifest is a few hundred bytes; anything near this bound is garbage, not a manifest. */
export const MAX_MANIFEST_BYTES = 1 << 20;
export const BUNDLE_EXTENSION = '.vbundle';

export interface DecodedBundle {
  manifest: Signed<BundleManifest>;
  payload: Uint8Array;
}

export function encodeBundle(m: Signed<BundleManifest>, payload: Uint8Array): Uint8Array {
  const json = Buffer.from(canonicalJson(m), 'utf8');
  const out = Buffer.alloc(BUNDLE_MAGIC.length + 4 + json.length + 8 + payload.length);
  let at = BUNDLE_MAGIC.copy(out, 0);
  at = out.writeUInt32BE(json.length, at);
  at += json.copy(out, at);
  at = out.writeBigUInt64BE(BigInt(payload.length), at);
  out.set(payload, at);
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/**
 * The container and the envelope, without judging the manifest's fields: `manifest` is the parsed
 * `{ signed, signatures }` with `signed` still unchecked. Used by `decodeBundle` and by
 * `bundleProblems`, which wants every field problem rather than the first.
 */
export function decodeFrame(bytes: Uint8Array, file?: string): Result<{ manifest: Signed<unknown>; payload: Uint8Array }> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = (offset: number): { file?: string; offset: number } => (file === undefined ? { offset } : { file, offset });
  const bad = (message: string, offset: number): Result<never> => fail('VIGIE_BUNDLE_INVALID', message, at(offset));
  if (buf.length < BUNDLE_MAGIC.length) return bad(`truncated: ${buf.length} bytes, not even the magic`, buf.length);
  if (!buf.subarray(0, BUNDLE_MAGIC.length).equals(BUNDLE_MAGIC)) return bad('not a Vigie bundle (bad magic bytes)', 0);
  if (buf.length < 12) return bad('truncated inside the manifest length', buf.length);
  const mlen = buf.readUInt32BE(8);
  if (mlen === 0 || mlen > MAX_MANIFEST_BYTES) return bad(`manifest length ${mlen} is out of bounds (1..${MAX_MANIFEST_BYTES})`, 8);
  if (buf.length < 12 + mlen) return bad(`truncated inside the manifest: ${buf.length - 12} of ${mlen} bytes`, buf.length);
  const pstart = 12 + mlen + 8;
  if (buf.length < pstart) return bad('truncated inside the payload length', buf.length);
  const plen = buf.readBigUInt64BE(12 + mlen);
  const have = BigInt(buf.length - pstart);
  if (plen > have) return bad(`truncated inside the payload: ${have} of ${plen} bytes`, buf.length);
  if (plen < have) return bad(`${have - plen} unexpected bytes after the payload`, pstart + Number(plen));
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(12, 12 + mlen)));
  } catch (e) {
    return bad(`manifest is not UTF-8 JSON: ${(e as Error).message}`, 12);
  }
  const env = envelopeProblem(parsed, 'bundle manifest', file, 'VIGIE_BUNDLE_INVALID');
  if (!env.ok) return env;
  return ok({ manifest: env.value, payload: bytes.subarray(pstart) });
}

/** The container, the envelope and the manifest's shape (first problem); no trust decision. */
export function decodeBundle(bytes: Uint8Array, file?: string): Result<DecodedBundle> {
  const frame = decodeFrame(bytes, file);
  if (!frame.ok) return frame;
  const shape: VigieProblem | undefined = manifestProblems(frame.value.manifest.signed, file)[0];
  if (shape) return { ok: false, error: shape };
  return ok({ manifest: frame.value.manifest as Signed<BundleManifest>, payload: frame.value.payload });
}
