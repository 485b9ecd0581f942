/**
 * The rollout messages on the sensor <-> engine wire (control.proto): signed directives, bundle
 * requests and bundle data, each as [kind (1 byte), protobuf payload] like every other message
 * (frames.ts). Protobuf only: what the bytes mean (canonical JSON, signatures, bundle format) is
 * rollout/'s business. Decoding is pure and never throws.
 */
import { vigie } from '../../proto/gen/vigie.js';
import { fail, ok, type Result } from '../errors.js';
import { asBuffer, FrameKind } from './frames.js';

const KIND_DIRECTIVE = Buffer.from([FrameKind.Directive]);
const KIND_BUNDLE_REQUEST = Buffer.from([FrameKind.BundleRequest]);
const KIND_BUNDLE_DATA = Buffer.from([FrameKind.BundleData]);

export function directiveFrames(d: vigie.v1.ISignedDirective): [Buffer, Uint8Array] {
  return [KIND_DIRECTIVE, vigie.v1.SignedDirective.encode(d).finish()];
}

export function bundleRequestFrames(sha256: string): [Buffer, Uint8Array] {
  return [KIND_BUNDLE_REQUEST, vigie.v1.BundleRequest.encode({ sha256 }).finish()];
}

export function bundleDataFrames(d: vigie.v1.IBundleData): [Buffer, Uint8Array] {
  return [KIND_BUNDLE_DATA, vigie.v1.BundleData.encode(d).finish()];
}

export function decodeSignedDirective(payload: Uint8Array): Result<vigie.v1.SignedDirective> {
  try {
    return ok(vigie.v1.SignedDirective.decode(asBuffer(payload)));
  } catch (e) {
    return fail('VIGIE_DECODE_FAILED', `SignedDirective: ${(e as Error).message}`);
  }
}

export function decodeBundleRequest(payload: Uint8Array): Result<vigie.v1.BundleRequest> {
  try {
    return ok(vigie.v1.BundleRequest.decode(asBuffer(payload)));
  } catch (e) {
    return fail('VIGIE_DECODE_FAILED', `BundleRequest: ${(e as Error).message}`);
  }
}

export function decodeBundleData(payload: Uint8Array): Result<vigie.v1.BundleData> {
  try {
    return ok(vigie.v1.BundleData.decode(asBuffer(payload)));
  } catch (e) {
    return fail('VIGIE_DECODE_FAILED', `BundleData: ${(e as Error).message}`);
  }
}
