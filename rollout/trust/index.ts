/**
 * rollout/trust: Ed25519 keys, canonical JSON, signed documents with thresholds, the root
 * document and the TrustStore that checks manifests and directives against it.
 */
export { canonicalJson } from './canonical-json.js';
export { generateKeyPair, keyIdOf } from './keys.js';
export type { KeyPair } from './keys.js';
export { addSignatures, checkThreshold, countValidSignatures, signDocument } from './signed.js';
export type { Role, Signature, Signed } from './signed.js';
export { createRoot, ROLE_NAMES, ROOT_TYPE, rootProblems } from './root.js';
export type { RoleName, RootKeys, RootMetadata } from './root.js';
export { directiveProblems } from './directive-shape.js';
export { isExpired, parseIsoTime } from './iso-time.js';
export { TrustStore } from './trust-store.js';
export type { DirectiveOptions, VerifyOptions } from './trust-store.js';
export { existingKeyFiles, keyFileName, readKeyFile, readRoleKeys, readRootFile, ROOT_FILE, writeKeyFile, writeRootFile } from './key-files.js';
export type { KeyFile } from './key-files.js';
export { initKeys } from './key-init.js';
export type { KeyInit } from './key-init.js';
