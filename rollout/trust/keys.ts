/**
 * Ed25519 keys from node:crypto. Keys travel as base64 of their raw 32 bytes (public) and of
 * their PKCS#8 DER (private); a keyid is the hex sha256 of the raw public key, so it names the
 * key itself and cannot be chosen by whoever writes a document.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

export interface KeyPair {
  keyid: string;
  /** base64 of the raw 32-byte Ed25519 public key. */
  publicKey: string;
  /** base64 of the PKCS#8 DER private key. */
  privateKey: string;
}

// The fixed DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw key follows it.
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function generateKeyPair(): KeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length);
  return {
    keyid: keyIdOf(raw),
    publicKey: raw.toString('base64'),
    privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
  };
}

/** hex sha256 of the raw 32-byte public key. */
export function keyIdOf(rawPublicKey: Uint8Array): string {
  return createHash('sha256').update(rawPublicKey).digest('hex');
}

/** The raw public key from base64, or undefined when it is not 32 bytes of base64. */
export function decodePublicKey(b64: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return undefined;
  const raw = Buffer.from(b64, 'base64');
  return raw.length === 32 ? raw : undefined;
}

// Parsed public keys, by raw bytes: a simulated fleet verifies the same few keys thousands of
// times. Bounded: cleared when full (a root lists a handful of keys).
const publicKeys = new Map<string, KeyObject>();
const MAX_CACHED_KEYS = 256;

export function publicKeyObject(raw: Uint8Array): KeyObject {
  const id = Buffer.from(raw).toString('base64');
  let key = publicKeys.get(id);
  if (!key) {
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
    if (publicKeys.size >= MAX_CACHED_KEYS) publicKeys.clear();
    publicKeys.set(id, key);
  }
  return key;
}

export function privateKeyObject(b64: string): KeyObject {
  return createPrivateKey({ key: Buffer.from(b64, 'base64'), format: 'der', type: 'pkcs8' });
}

/** base64 Ed25519 signature of the bytes. */
export function signBytes(bytes: Uint8Array, privateKey: KeyObject): string {
  return sign(null, bytes, privateKey).toString('base64');
}

export function verifyBytes(bytes: Uint8Array, sigB64: string, publicKey: KeyObject): boolean {
  const sig = Buffer.from(sigB64, 'base64');
  if (sig.length !== 64) return false;
  return verify(null, bytes, publicKey, sig);
}
