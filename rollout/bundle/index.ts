/**
 * rollout/bundle: the signed content bundle (a signature pack or an ONNX model plus its manifest),
 * its file format, its verification, and the small semver it needs.
 */
export { BUNDLE_FORMAT } from './manifest.js';
export type { BundleManifest, ContentKind } from './manifest.js';
export { manifestProblems } from './manifest-shape.js';
export { BUNDLE_EXTENSION, BUNDLE_MAGIC, decodeBundle, decodeFrame, encodeBundle, MAX_MANIFEST_BYTES } from './format.js';
export type { DecodedBundle } from './format.js';
export { bundleProblems, inspectBundle, verifyBundle } from './verify.js';
export type { BundleReport, VerifiedBundle, VerifyBundleOptions } from './verify.js';
export { buildManifest, createBundle } from './create.js';
export type { CreateBundleInput } from './create.js';
export { compareVersions, isRange, isVersion, parseRange, parseVersion, satisfies } from './semver.js';
export type { SemVer } from './semver.js';
export { describeContent } from './content.js';
export { PACK_FIELD_SCHEMA } from './schemas.js';
export type { ContentInfo } from './content.js';
