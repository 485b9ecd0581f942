/**
 * The rollout controller of the all-in-one (`vigie start`), on embedded defaults: on the first
 * run it makes a trust root (one key per role: enough for one machine; a real service runs
 * `vigie rollout keys init`, 2 of 3 root keys kept offline) and installs the signature pack the
 * sensors start with as the generally available version, so that `vigie rollout create` works at
 * once. Ring 0 is this host.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../common/config/schema.js';
import { unwrap, type Result } from '../common/errors.js';
import type { Logger } from '../common/log.js';
import { createBundle, PACK_FIELD_SCHEMA } from '../rollout/bundle/index.js';
import { controllerConfigSchema, controllerPathsIn, ControllerRunner } from '../rollout/service/index.js';
import { existingKeyFiles, initKeys, readRoleKeys, readRootFile, ROOT_FILE, TrustStore } from '../rollout/trust/index.js';
import type { SignaturePack } from '../signatures/pack/format.js';

export interface EmbeddedRollout {
  runner: Result<ControllerRunner>;
  /** The root the local sensor pins (undefined when the controller is off). */
  trust: TrustStore | undefined;
  /** What was done on this start, for the banner. */
  notes: string[];
}

export function embeddedRollout(varDir: string, ring0: string, intervalMs: number, pack: SignaturePack | undefined, log: Logger, labels: (id: string) => { site?: string; group?: string } | undefined): EmbeddedRollout {
  const paths = controllerPathsIn(varDir);
  const notes: string[] = [];
  if (existingKeyFiles(paths.keysDir).length === 0) {
    initKeys({ dir: paths.keysDir, counts: { root: { keys: 1, threshold: 1 }, release: { keys: 1, threshold: 1 }, directive: { keys: 1, threshold: 1 } }, expiresInDays: 365 });
    notes.push(`first run: rollout keys made in ${paths.keysDir} (one key per role; see docs/ROLLOUT.md for a real service's)`);
  }
  const config = unwrap(parseConfig(controllerConfigSchema, { ...paths, ring0Hosts: [ring0], intervalMs }, 'start'));
  const runner = ControllerRunner.open(config, { log, labels });
  const rootFile = join(paths.keysDir, ROOT_FILE);
  const root = readRootFile(rootFile);
  const trust = root.ok ? TrustStore.fromRoot(root.value, Date.now()) : undefined;
  if (runner.ok && pack && !runner.value.service.controller.stable('signatures')) {
    const installed = installPack(runner.value, pack, paths.keysDir, rootFile, varDir);
    notes.push(installed.ok ? `signature pack ${pack.name} ${pack.version} installed as the generally available version` : `the signature pack was not installed as the base: ${installed.error.message}`);
  }
  return { runner, trust: trust?.ok ? trust.value : undefined, notes };
}

function installPack(runner: ControllerRunner, pack: SignaturePack, keysDir: string, rootFile: string, varDir: string): Result<unknown> {
  const release = readRoleKeys(keysDir, 'release');
  if (!release.ok) return release;
  const file = join(varDir, 'rollout', `${pack.name}-${pack.version}.vbundle`);
  if (!existsSync(file)) {
    const bytes = createBundle({
      kind: 'signatures', name: pack.name, version: pack.version, payload: new TextEncoder().encode(JSON.stringify(pack)), featureSchema: PACK_FIELD_SCHEMA,
      sensorRange: '>=0.1.0 <1.0.0', engineRange: '>=0.1.0 <1.0.0', expiresInDays: 365,
    }, release.value);
    writeFileSync(file, bytes);
  }
  return runner.service.install(file, { root: rootFile, actor: 'vigie start' });
}
