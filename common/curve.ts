/**
 * CURVE key pairs (X25519, Z85 text) made with node:crypto. A seeded variant gives the simulated
 * fleet stable identities across runs without storing thousands of key files.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { fail, ok, type Result } from './errors.js';
import { z85Decode, z85Encode } from './z85.js';

export interface CurveKeyPair {
  publicKey: string;
  secretKey: string;
}

function fromB64url(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'base64url'));
}

export function generateCurveKeyPair(): CurveKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  const d = privateKey.export({ format: 'jwk' }).d!;
  const x = publicKey.export({ format: 'jwk' }).x!;
  return { publicKey: z85Encode(fromB64url(x)), secretKey: z85Encode(fromB64url(d)) };
}

/** The public key of a secret key. */
export function curvePublicKey(secretKey: string): Result<string> {
  const raw = z85Decode(secretKey);
  if (!raw || raw.length !== 32) return fail('VIGIE_KEY_INVALID', 'secret key is not 40 characters of Z85');
  const priv = createPrivateKey({
    format: 'jwk',
    key: { kty: 'OKP', crv: 'X25519', d: Buffer.from(raw).toString('base64url'), x: '' },
  });
  const x = createPublicKey(priv).export({ format: 'jwk' }).x!;
  return ok(z85Encode(fromB64url(x)));
}

/** A key pair derived from a seed string: same seed, same keys. For simulated hosts only. */
export function seededCurveKeyPair(seed: string): CurveKeyPair {
  const secret = createHash('sha256').update(`vigie-curve:${seed}`).digest();
  const secretKey = z85Encode(secret);
  const pub = curvePublicKey(secretKey);
  if (!pub.ok) throw new Error('unreachable: a 32-byte secret is always a valid X25519 key');
  return { publicKey: pub.value, secretKey };
}

export function isCurveKey(text: string): boolean {
  const raw = text.length === 40 ? z85Decode(text) : undefined;
  return raw !== undefined && raw.length === 32;
}
