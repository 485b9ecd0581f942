/**
 * Keys and roots on disk. A private key file is JSON { role, keyid, publicKey, privateKey } with
 * mode 0600, named ROLE-N.key; root.json is the signed root sensors pin. Reading checks that the
 * keyid matches the public key and that the private key is the public key's other half, so a
 * mixed-up file is caught when it is read, not when its signatures are refused in the field.
 */
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fail, ok } from '../../common/errors.js';
import type { Result } from '../../common/errors.js';
import { decodePublicKey, keyIdOf, privateKeyObject, publicKeyObject, signBytes, verifyBytes } from './keys.js';
import type { KeyPair } from './keys.js';
import { ROLE_NAMES } from './root.js';
import type { RoleName, RootMetadata } from './root.js';
import { envelopeProblem } from './signed.js';
import type { Signed } from './signed.js';

export interface KeyFile extends KeyPair {
  role: RoleName;
}

export const ROOT_FILE = 'root.json';
const KEY_FILE = /^(root|release|directive)-\d+\.key$/;

export function keyFileName(role: RoleName, n: number): string {
  return `${role}-${n}.key`;
}

/** Writes atomically with mode 0600 (the temp file is created 0600 too). */
export function writeKeyFile(file: string, key: KeyFile): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(key, null, 1)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

export function readKeyFile(file: string): Result<KeyFile> {
  const bad = (message: string, field?: string): Result<never> => fail('VIGIE_TRUST_INVALID', message, field ? { file, field } : { file });
  let v: Partial<KeyFile>;
  try {
    v = JSON.parse(readFileSync(file, 'utf8')) as Partial<KeyFile>;
  } catch (e) {
    return bad(`cannot read key file: ${(e as Error).message}`);
  }
  if (typeof v !== 'object' || v === null) return bad('key file is not a JSON object');
  if (!(ROLE_NAMES as readonly string[]).includes(v.role as string)) return bad(`role must be one of ${ROLE_NAMES.join(', ')}`, 'role');
  const raw = typeof v.publicKey === 'string' ? decodePublicKey(v.publicKey) : undefined;
  if (!raw) return bad('publicKey must be base64 of 32 bytes', 'publicKey');
  if (keyIdOf(raw) !== v.keyid) return bad('keyid is not the sha256 of the public key', 'keyid');
  try {
    const probe = Buffer.from('vigie key check');
    if (typeof v.privateKey !== 'string' || !verifyBytes(probe, signBytes(probe, privateKeyObject(v.privateKey)), publicKeyObject(raw))) {
      return bad('privateKey is not the private half of publicKey', 'privateKey');
    }
  } catch (e) {
    return bad(`privateKey is not a PKCS#8 Ed25519 key: ${(e as Error).message}`, 'privateKey');
  }
  return ok({ role: v.role as RoleName, keyid: v.keyid, publicKey: v.publicKey!, privateKey: v.privateKey });
}

/** Every ROLE-N.key in the directory for that role, in name order. */
export function readRoleKeys(dir: string, role: RoleName): Result<KeyFile[]> {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => KEY_FILE.test(n) && n.startsWith(`${role}-`)).sort();
  } catch (e) {
    return fail('VIGIE_TRUST_INVALID', `cannot read the key directory: ${(e as Error).message}`, { file: dir });
  }
  if (names.length === 0) return fail('VIGIE_TRUST_INVALID', `no ${role} keys (${role}-N.key) in ${dir}`, { file: dir });
  const keys: KeyFile[] = [];
  for (const n of names) {
    const k = readKeyFile(join(dir, n));
    if (!k.ok) return k;
    if (k.value.role !== role) return fail('VIGIE_TRUST_INVALID', `file named for ${role} holds a ${k.value.role} key`, { file: join(dir, n), field: 'role' });
    keys.push(k.value);
  }
  return ok(keys);
}

/** Names of existing key files and root.json in dir (what `keys init` refuses to overwrite). */
export function existingKeyFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((n) => KEY_FILE.test(n) || n === ROOT_FILE).sort();
}

/** A root file's envelope (JSON, `{ signed, signatures }`); its content is checked by TrustStore. */
export function readRootFile(file: string): Result<Signed<RootMetadata>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return fail('VIGIE_TRUST_INVALID', `cannot read root: ${(e as Error).message}`, { file });
  }
  const env = envelopeProblem(parsed, 'root', file, 'VIGIE_TRUST_INVALID');
  return env.ok ? ok(env.value as Signed<RootMetadata>) : env;
}

export function writeRootFile(file: string, root: Signed<RootMetadata>): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(root, null, 1)}\n`);
  renameSync(tmp, file);
}
