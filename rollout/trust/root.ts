/**
 * The root document: the one piece of trust a sensor pins. It lists every public key and which
 * keys may act for each role (root: sign the next root; release: sign bundle manifests;
 * directive: the controller's online key, signs directives), each with a threshold.
 */
import type { VigieProblem } from '../../common/errors.js';
import { parseIsoTime } from './iso-time.js';
import { decodePublicKey, keyIdOf } from './keys.js';
import type { KeyPair } from './keys.js';
import type { Role } from './signed.js';

export const ROOT_TYPE = 'vigie.root/1';
export const ROLE_NAMES = ['root', 'release', 'directive'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

export interface RootMetadata {
  type: typeof ROOT_TYPE;
  /** Starts at 1; each rotation is exactly version + 1. */
  version: number;
  /** ISO 8601; an expired root refuses new loads until a rotated root arrives. */
  expires: string;
  keys: Record<string, { publicKey: string }>;
  roles: Record<RoleName, Role>;
}

const ROOT_FIELDS = new Set(['type', 'version', 'expires', 'keys', 'roles']);

/** Every shape problem of a root document (VIGIE_TRUST_INVALID), each with its field. */
export function rootProblems(value: unknown, file?: string): VigieProblem[] {
  const out: VigieProblem[] = [];
  const at = (field: string): { file?: string; field: string } => (file === undefined ? { field } : { file, field });
  const add = (field: string, message: string): void => {
    out.push({ code: 'VIGIE_TRUST_INVALID', message: `root: ${message}`, location: at(field) });
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    add('signed', 'must be an object');
    return out;
  }
  const r = value as Record<string, unknown>;
  for (const k of Object.keys(r)) if (!ROOT_FIELDS.has(k)) add(`signed.${k}`, `unknown field "${k}"`);
  if (r.type !== ROOT_TYPE) add('signed.type', `type must be "${ROOT_TYPE}"`);
  if (typeof r.version !== 'number' || !Number.isSafeInteger(r.version) || r.version < 1) {
    add('signed.version', 'version must be an integer >= 1');
  }
  if (parseIsoTime(r.expires) === undefined) add('signed.expires', 'expires must be an ISO 8601 time');
  const keyids = new Set<string>();
  if (typeof r.keys !== 'object' || r.keys === null || Array.isArray(r.keys)) {
    add('signed.keys', 'keys must be an object keyid -> { publicKey }');
  } else {
    for (const [keyid, entry] of Object.entries(r.keys as Record<string, unknown>)) {
      const pk = (entry as { publicKey?: unknown } | null)?.publicKey;
      const raw = typeof pk === 'string' ? decodePublicKey(pk) : undefined;
      if (!raw) add(`signed.keys.${keyid}.publicKey`, 'publicKey must be base64 of 32 bytes');
      else if (keyIdOf(raw) !== keyid) add(`signed.keys.${keyid}`, 'keyid is not the sha256 of its public key');
      else keyids.add(keyid);
    }
  }
  if (typeof r.roles !== 'object' || r.roles === null || Array.isArray(r.roles)) {
    add('signed.roles', 'roles must be an object with root, release and directive');
    return out;
  }
  const roles = r.roles as Record<string, unknown>;
  for (const k of Object.keys(roles)) if (!(ROLE_NAMES as readonly string[]).includes(k)) add(`signed.roles.${k}`, `unknown role "${k}"`);
  for (const name of ROLE_NAMES) {
    const role = roles[name] as { keyids?: unknown; threshold?: unknown } | undefined;
    const f = `signed.roles.${name}`;
    if (typeof role !== 'object' || role === null) {
      add(f, `role "${name}" is missing`);
      continue;
    }
    const ids = role.keyids;
    if (!Array.isArray(ids) || ids.length === 0 || !ids.every((x) => typeof x === 'string')) {
      add(`${f}.keyids`, 'keyids must be a non-empty array of keyids');
    } else {
      if (new Set(ids).size !== ids.length) add(`${f}.keyids`, 'keyids must be distinct');
      for (const id of ids as string[]) if (!keyids.has(id)) add(`${f}.keyids`, `keyid ${id.slice(0, 16)}... is not in keys`);
    }
    const t = role.threshold;
    const n = Array.isArray(ids) ? new Set(ids).size : 0;
    if (typeof t !== 'number' || !Number.isSafeInteger(t) || t < 1 || t > n) {
      add(`${f}.threshold`, `threshold must be an integer from 1 to the number of keyids (${n})`);
    }
  }
  return out;
}

export interface RootKeys {
  root: KeyPair[];
  release: KeyPair[];
  directive: KeyPair[];
}

/** An unsigned root listing the public halves of the given keys. */
export function createRoot(
  keys: RootKeys,
  o: { version?: number; expires: string; thresholds?: Partial<Record<RoleName, number>> },
): RootMetadata {
  const all: Record<string, { publicKey: string }> = {};
  const roles = {} as Record<RoleName, Role>;
  for (const name of ROLE_NAMES) {
    for (const k of keys[name]) all[k.keyid] = { publicKey: k.publicKey };
    roles[name] = { keyids: keys[name].map((k) => k.keyid), threshold: o.thresholds?.[name] ?? 1 };
  }
  return { type: ROOT_TYPE, version: o.version ?? 1, expires: o.expires, keys: all, roles };
}
