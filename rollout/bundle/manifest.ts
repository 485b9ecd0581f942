/**
 * The signed part of a bundle: what the content is, which sensors and engines may load it, and
 * the digest that binds the payload. Signed with Ed25519 by release keys (rollout/trust).
 * Contract shared by the controller, the validator and the sensor's updater.
 */
export const BUNDLE_FORMAT = 'vigie.bundle/1';

export type ContentKind = 'signatures' | 'model';

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  kind: ContentKind;
  /** Pack name or model name, e.g. "vigie-default" or "vigie-default-process". */
  name: string;
  /** Semantic version; versions of one name only move forward. */
  version: string;
  /** Semver range of sensor versions that may load it, e.g. ">=0.1.0 <1.0.0". */
  sensorRange: string;
  /** Semver range of engine versions that may load it. */
  engineRange: string;
  /** Feature schema the content reads: "vigie.features/1" for models, "vigie.fields/1" for packs. */
  featureSchema: string;
  /** Lower-case hex sha256 of the payload bytes. */
  sha256: string;
  /** Payload size in bytes. */
  size: number;
  /** ISO 8601. */
  created: string;
  /** ISO 8601; an expired manifest is refused for new loads (what runs keeps running). */
  expires: string;
}
