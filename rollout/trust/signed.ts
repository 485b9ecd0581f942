/**
 * Signed documents: `{ signed, signatures }` where each signature is Ed25519 over the canonical
 * JSON of `signed`. A role is satisfied when at least `threshold` DISTINCT keyids of the role made
 * a valid signature; signatures by keys outside the role are ignored (neither help nor hurt), so
 * a document may carry extra signatures for a future root.
 */
import { fail, ok } from '../../common/errors.js';
import type { ErrorCode, ErrorLocation, Result } from '../../common/errors.js';
import { createHash, type KeyObject } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import { decodePublicKey, privateKeyObject, publicKeyObject, signBytes, verifyBytes } from './keys.js';
import type { KeyPair } from './keys.js';

export interface Signature {
  keyid: string;
  /** base64 Ed25519 over canonicalJson(signed). */
  sig: string;
}

export interface Signed<T> {
  signed: T;
  signatures: Signature[];
}

export interface Role {
  keyids: string[];
  threshold: number;
}

export function signDocument<T>(doc: T, keys: KeyPair[]): Signed<T> {
  const bytes = Buffer.from(canonicalJson(doc), 'utf8');
  const signatures: Signature[] = [];
  const seen = new Set<string>();
  for (const k of keys) {
    if (seen.has(k.keyid)) continue;
    seen.add(k.keyid);
    signatures.push({ keyid: k.keyid, sig: signBytes(bytes, privateKeyObject(k.privateKey)) });
  }
  return { signed: doc, signatures };
}

/** Adds signatures by more keys to an already signed document (e.g. the old root's keys on a new root). */
export function addSignatures<T>(doc: Signed<T>, keys: KeyPair[]): Signed<T> {
  const extra = signDocument(doc.signed, keys.filter((k) => !doc.signatures.some((s) => s.keyid === k.keyid)));
  return { signed: doc.signed, signatures: [...doc.signatures, ...extra.signatures] };
}

/** Number of distinct keyids of `role` (found in `keys`) with a valid signature over `signed`. */
export function countValidSignatures(
  doc: Signed<unknown>,
  keys: Readonly<Record<string, { publicKey: string }>>,
  role: Role,
): number {
  const bytes = Buffer.from(canonicalJson(doc.signed), 'utf8');
  const inRole = new Set(role.keyids);
  const valid = new Set<string>();
  for (const s of doc.signatures) {
    if (valid.has(s.keyid) || !inRole.has(s.keyid)) continue;
    const entry = Object.prototype.hasOwnProperty.call(keys, s.keyid) ? keys[s.keyid] : undefined;
    if (!entry || typeof entry.publicKey !== 'string' || typeof s.sig !== 'string') continue;
    if (verifyMemo(bytes, s.sig, entry.publicKey)) valid.add(s.keyid);
  }
  return valid.size;
}

/**
 * Ed25519 verification is a pure function of (public key, signature, message), so its answers
 * are memoised, bounded: a sensor re-checking a document it already checked (a restart, the same
 * directive twice) and the fleet simulation's ten thousand agents sharing one trust store pay
 * for one verification. The message is keyed by its sha256, never trusted by reference.
 */
const MEMO_MAX = 4096;
const verdicts = new Map<string, boolean>();
const keyObjects = new Map<string, KeyObject | undefined>();

function verifyMemo(bytes: Uint8Array, sig: string, publicKey: string): boolean {
  const key = `${publicKey}|${sig}|${createHash('sha256').update(bytes).digest('base64')}`;
  const known = verdicts.get(key);
  if (known !== undefined) return known;
  let ko = keyObjects.get(publicKey);
  if (ko === undefined && !keyObjects.has(publicKey)) {
    const raw = decodePublicKey(publicKey);
    ko = raw ? publicKeyObject(raw) : undefined;
    if (keyObjects.size >= MEMO_MAX) keyObjects.clear();
    keyObjects.set(publicKey, ko);
  }
  const verdict = ko !== undefined && verifyBytes(bytes, sig, ko);
  if (verdicts.size >= MEMO_MAX) verdicts.delete(verdicts.keys().next().value!);
  verdicts.set(key, verdict);
  return verdict;
}

/**
 * ok(count) when the role's threshold is met, else VIGIE_BUNDLE_BAD_SIGNATURE (or `code`) naming
 * how many valid signatures were found of how many needed.
 */
export function checkThreshold(
  doc: Signed<unknown>,
  keys: Readonly<Record<string, { publicKey: string }>>,
  role: Role,
  what: string,
  location: ErrorLocation,
  code: ErrorCode = 'VIGIE_BUNDLE_BAD_SIGNATURE',
): Result<number> {
  const n = countValidSignatures(doc, keys, role);
  if (n >= role.threshold) return ok(n);
  return fail(code, `${what}: ${n} valid signature${n === 1 ? '' : 's'} of ${role.threshold} needed`, {
    ...location,
    field: 'signatures',
  });
}

/** Problems with the `{ signed, signatures }` envelope itself (not the signatures' validity). */
export function envelopeProblem(value: unknown, what: string, file: string | undefined, code: ErrorCode): Result<Signed<unknown>> {
  const loc = file === undefined ? {} : { file };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(code, `${what} is not an object with "signed" and "signatures"`, loc);
  }
  const v = value as Record<string, unknown>;
  if (typeof v.signed !== 'object' || v.signed === null || Array.isArray(v.signed)) {
    return fail(code, `${what}: "signed" must be an object`, { ...loc, field: 'signed' });
  }
  if (!Array.isArray(v.signatures)) return fail(code, `${what}: "signatures" must be an array`, { ...loc, field: 'signatures' });
  for (const [i, s] of v.signatures.entries()) {
    const sig = s as Record<string, unknown> | null;
    if (typeof sig !== 'object' || sig === null || typeof sig.keyid !== 'string' || typeof sig.sig !== 'string') {
      return fail(code, `${what}: signature ${i} must be { keyid: string, sig: string }`, { ...loc, field: `signatures[${i}]` });
    }
  }
  return ok(value as Signed<unknown>);
}
