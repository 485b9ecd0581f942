/**
 * A bundle entering the controller (`vigie rollout install|create`): read, verified as a sensor
 * would against the pinned root (signature, digest, expiry, shape) and against what the
 * controller already knows (same content name per kind, strictly newer than every version of the
 * kind it has seen), then copied into the bundle directory as <sha256>.vbundle, where the engine
 * serves it to sensors. The copy is written to a temporary name and renamed, so the engine never
 * serves half a file.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fail, ok, type Result } from '../../common/errors.js';
import { BUNDLE_EXTENSION, compareVersions, decodeBundle, verifyBundle, type BundleManifest, type VerifiedBundle } from '../bundle/index.js';
import type { ControllerState } from '../controller/state.js';
import { readRootFile, TrustStore } from '../trust/index.js';

export interface IncomingBundle extends VerifiedBundle {
  file: string;
  bytes: Uint8Array;
}

/** The pinned root, checked as a sensor checks it. */
export function loadTrust(rootFile: string, nowMs: number): Result<TrustStore> {
  const root = readRootFile(rootFile);
  if (!root.ok) return root;
  return TrustStore.fromRoot(root.value, nowMs, { file: rootFile });
}

export function readBundle(file: string, rootFile: string, nowMs: number): Result<IncomingBundle> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    return fail('VIGIE_BUNDLE_INVALID', `cannot read the bundle: ${(e as Error).message}`, { file });
  }
  const trust = loadTrust(rootFile, nowMs);
  if (!trust.ok) return trust;
  const verified = verifyBundle(bytes, trust.value, { nowMs, file });
  return verified.ok ? ok({ ...verified.value, file, bytes }) : verified;
}

/**
 * Checks a verified manifest against the controller's state: one signature pack name for the
 * fleet (models have one line per name: the process and the network model), and a version
 * strictly above every version of the line already installed or rolled out (versions only move
 * forward; a version rolled back is never offered again).
 */
export function checkAgainstState(m: BundleManifest, s: ControllerState, file: string): Result<void> {
  const other = m.kind === 'signatures' ? s.ga.find((g) => g.kind === m.kind && g.name !== m.name) : undefined;
  if (other) {
    return fail('VIGIE_BUNDLE_INCOMPATIBLE', `the fleet runs ${m.kind} "${other.name}"; this bundle is "${m.name}"`, { file, field: 'signed.name' });
  }
  const ga = s.ga.find((g) => g.kind === m.kind && g.name === m.name);
  const seen = [...(ga?.history.map((h) => h.version) ?? []), ...s.rollouts.filter((r) => r.kind === m.kind && r.name === m.name).map((r) => r.version)];
  const floor = seen.reduce<string | undefined>((hi, v) => (hi === undefined || compareVersions(v, hi) > 0 ? v : hi), undefined);
  if (floor !== undefined && compareVersions(m.version, floor) <= 0) {
    return fail('VIGIE_BUNDLE_ROLLBACK', `${m.kind} ${m.name} ${m.version} is not newer than ${floor}, already installed or rolled out`, { file, field: 'signed.version' });
  }
  return ok(undefined);
}

/** Copies the bundle into `dir` as <sha256>.vbundle (kept if already there); returns the path. */
export function storeBundle(dir: string, b: IncomingBundle): Result<string> {
  const path = join(dir, `${b.manifest.sha256}${BUNDLE_EXTENSION}`);
  try {
    mkdirSync(dir, { recursive: true });
    if (!existsSync(path)) {
      const tmp = `${path}.tmp-${process.pid}`;
      writeFileSync(tmp, b.bytes);
      renameSync(tmp, path);
    }
    return ok(path);
  } catch (e) {
    return fail('VIGIE_STORE_IO', `cannot copy the bundle into the bundle directory: ${(e as Error).message}`, { file: path });
  }
}

/** The payload of a registered bundle (the current version, for validation to compare with). */
export function readStoredPayload(path: string): Uint8Array | undefined {
  try {
    const decoded = decodeBundle(readFileSync(path), path);
    return decoded.ok ? decoded.value.payload : undefined;
  } catch {
    return undefined;
  }
}
