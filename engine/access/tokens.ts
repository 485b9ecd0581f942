/**
 * API tokens: `vigie_<id>_<secret>`, the secret 32 random bytes (base64url). Only the sha256 of the
 * whole token is stored; the token is shown once, when issued. The id is a public handle for
 * listing and revoking, and is not enough to authenticate.
 */
import { createHash, randomBytes } from 'node:crypto';

export interface NewToken {
  id: string;
  /** The secret token, to hand to its user once. */
  token: string;
  hash: string;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function newToken(): NewToken {
  const id = randomBytes(6).toString('hex');
  const token = `vigie_${id}_${randomBytes(32).toString('base64url')}`;
  return { id, token, hash: hashToken(token) };
}

/** Cheap shape check before any lookup. */
export function looksLikeToken(value: string): boolean {
  return /^vigie_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/.test(value);
}
