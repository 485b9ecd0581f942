/**
 * Builds a signed bundle from content bytes: the manifest is derived (digest, size, times), checked
 * with the same shape rules a sensor applies, signed by the release keys, and encoded.
 */
import { createHash } from 'node:crypto';
import { VigieError } from '../../common/errors.js';
import { signDocument } from '../trust/signed.js';
import type { KeyPair } from '../trust/keys.js';
import { encodeBundle } from './format.js';
import { manifestProblems } from './manifest-shape.js';
import { BUNDLE_FORMAT } from './manifest.js';
import type { BundleManifest, ContentKind } from './manifest.js';

export interface CreateBundleInput {
  kind: ContentKind;
  name: string;
  version: string;
  payload: Uint8Array;
  featureSchema: string;
  sensorRange: string;
  engineRange: string;
  expiresInDays: number;
  /** Defaults to now. */
  created?: Date | string;
}

const DAY_MS = 86_400_000;

/** The unsigned manifest for the input; throws VigieError (VIGIE_BUNDLE_INVALID) listing every problem. */
export function buildManifest(input: CreateBundleInput): BundleManifest {
  const created = input.created === undefined ? new Date() : new Date(input.created);
  if (!Number.isFinite(created.getTime()) || !Number.isFinite(input.expiresInDays) || input.expiresInDays <= 0) {
    throw new VigieError('VIGIE_BUNDLE_INVALID', 'created must be a valid time and expiresInDays a positive number', { field: 'expires' });
  }
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    kind: input.kind,
    name: input.name,
    version: input.version,
    sensorRange: input.sensorRange,
    engineRange: input.engineRange,
    featureSchema: input.featureSchema,
    sha256: createHash('sha256').update(input.payload).digest('hex'),
    size: input.payload.length,
    created: created.toISOString(),
    expires: new Date(created.getTime() + input.expiresInDays * DAY_MS).toISOString(),
  };
  const problems = manifestProblems(manifest);
  if (problems.length > 0) {
    const first = problems[0]!;
    const rest = problems.slice(1).map((p) => p.message);
    throw new VigieError('VIGIE_BUNDLE_INVALID', [first.message, ...rest].join('; '), first.location);
  }
  return manifest;
}

/** Signed, encoded bundle bytes. Throws VigieError when the manifest would be invalid. */
export function createBundle(input: CreateBundleInput, releaseKeys: KeyPair[]): Uint8Array {
  return encodeBundle(signDocument(buildManifest(input), releaseKeys), input.payload);
}
