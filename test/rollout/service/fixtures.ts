/** Real trust files and real signed bundles of the default pack, for the rollout service tests. */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBundle, PACK_FIELD_SCHEMA } from '../../../rollout/bundle/index.js';
import {
  createRoot, generateKeyPair, keyFileName, ROOT_FILE, signDocument, TrustStore, writeKeyFile, writeRootFile, type KeyPair,
} from '../../../rollout/trust/index.js';
import { defaultPack, packText, type SignaturePack } from '../../../signatures/pack/index.js';

export interface TrustFiles {
  keysDir: string;
  root: string;
  release: KeyPair[];
  directive: KeyPair[];
  trust(nowMs: number): TrustStore;
}

export function trustFiles(dir: string): TrustFiles {
  const keys = { root: [generateKeyPair()], release: [generateKeyPair()], directive: [generateKeyPair()] };
  const signedRoot = signDocument(createRoot(keys, { version: 1, expires: new Date(Date.now() + 365 * 86_400_000).toISOString(), thresholds: { root: 1, release: 1, directive: 1 } }), keys.root);
  const keysDir = join(dir, 'keys');
  mkdirSync(keysDir, { recursive: true });
  const root = join(keysDir, ROOT_FILE);
  writeRootFile(root, signedRoot);
  for (const role of ['release', 'directive'] as const) keys[role].forEach((k, i) => writeKeyFile(join(keysDir, keyFileName(role, i + 1)), { role, ...k }));
  return {
    keysDir, root, release: keys.release, directive: keys.directive,
    trust: (nowMs) => {
      const t = TrustStore.fromRoot(signedRoot, nowMs);
      if (!t.ok) throw new Error(t.error.message);
      return t.value;
    },
  };
}

let pack: SignaturePack | undefined;

/** The default pack renamed to `version`, signed into DIR/pack-VERSION.vbundle. */
export function packBundle(dir: string, version: string, release: KeyPair[]): { file: string; sha256: string } {
  pack ??= defaultPack();
  const payload = Buffer.from(packText({ ...pack, version }));
  const bytes = createBundle({ kind: 'signatures', name: pack.name, version, payload, featureSchema: PACK_FIELD_SCHEMA, sensorRange: '>=0.1.0 <1.0.0', engineRange: '>=0.1.0 <1.0.0', expiresInDays: 30 }, release);
  const file = join(dir, `pack-${version}.vbundle`);
  writeFileSync(file, bytes);
  return { file, sha256: createHash('sha256').update(payload).digest('hex') };
}

/** A validation report as `vigie rollout validate --json` writes it, passing or blocked. */
export function validationReport(dir: string, sha256: string, blocked = false): string {
  const file = join(dir, `report-${sha256.slice(0, 8)}-${blocked ? 'blocked' : 'ok'}.json`);
  writeFileSync(file, JSON.stringify({
    bundle: { kind: 'signatures', name: 'vigie-default', version: '?', sha256 }, blocked,
    checks: [{ name: 'schema', verdict: 'pass', detail: 'ok' }, ...(blocked ? [{ name: 'replay', verdict: 'block', code: 'VIGIE_VALIDATION_BLOCKED', detail: 'the pack crashed the worker' }] : [])],
    corpus: { source: 'simulated', events: 10, simulated: true }, durationMs: 1,
  }));
  return file;
}
