/**
 * Key and identity files under the var directory. A sensor identity holds what a sensor needs to
 * reach its engine: its id, tenant, CURVE key pair and the engine's public key and endpoint.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generateCurveKeyPair, isCurveKey, type CurveKeyPair } from './curve.js';
import { fail, ok, type Result } from './errors.js';

export interface SensorIdentity {
  sensorId: string;
  tenant: string;
  host: string;
  publicKey: string;
  secretKey: string;
  engineEndpoint: string;
  enginePublicKey: string;
}

/** The var directory's layout, in one place. */
export function varPaths(varDir: string) {
  return {
    root: varDir,
    engineKey: join(varDir, 'keys', 'engine.json'),
    store: join(varDir, 'vigie.db'),
    archive: join(varDir, 'archive'),
    sensors: join(varDir, 'sensors'),
    sensorIdentity: (id: string) => join(varDir, 'sensors', id, 'identity.json'),
    sensorSpool: (id: string) => join(varDir, 'sensors', id, 'spool'),
    fleet: join(varDir, 'fleet'),
  };
}

export function writeJsonAtomic(path: string, value: unknown, mode = 0o600): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n', { mode });
  renameSync(tmp, path);
}

/** Loads the engine's key pair, generating it on first use. */
export function loadOrCreateEngineKey(path: string): Result<CurveKeyPair> {
  if (!existsSync(path)) {
    const pair = generateCurveKeyPair();
    writeJsonAtomic(path, pair);
    return ok(pair);
  }
  try {
    const raw = JSON.parse(readFileSync(path, 'utf8')) as Partial<CurveKeyPair>;
    if (typeof raw.publicKey !== 'string' || !isCurveKey(raw.publicKey) || typeof raw.secretKey !== 'string' || !isCurveKey(raw.secretKey)) {
      return fail('VIGIE_KEY_INVALID', 'engine key file lacks a valid publicKey/secretKey', { file: path });
    }
    return ok({ publicKey: raw.publicKey, secretKey: raw.secretKey });
  } catch (e) {
    return fail('VIGIE_KEY_INVALID', (e as Error).message, { file: path });
  }
}

const IDENTITY_FIELDS = ['sensorId', 'tenant', 'host', 'publicKey', 'secretKey', 'engineEndpoint', 'enginePublicKey'] as const;

export function readSensorIdentity(path: string): Result<SensorIdentity> {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    return fail('VIGIE_IDENTITY_INVALID', (e as Error).message, { file: path });
  }
  const missing = IDENTITY_FIELDS.filter((f) => typeof raw[f] !== 'string' || raw[f] === '');
  if (missing.length > 0) return fail('VIGIE_IDENTITY_INVALID', `missing ${missing.join(', ')}`, { file: path, field: missing[0]! });
  for (const f of ['publicKey', 'secretKey', 'enginePublicKey'] as const) {
    if (!isCurveKey(raw[f] as string)) return fail('VIGIE_KEY_INVALID', `${f} is not a CURVE key`, { file: path, field: f });
  }
  return ok(raw as unknown as SensorIdentity);
}

/** Sensor ids travel as ZeroMQ routing ids (1..255 bytes) and file names: keep them tame. */
export function isValidSensorId(id: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(id);
}
