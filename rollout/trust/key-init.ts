/**
 * A fresh trust root on disk: keys for every role, the root document signed by the root keys,
 * one private key file per key (mode 0600) and root.json (what sensors pin). Used by
 * `vigie rollout keys init` and by `vigie start` on its first run.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPair } from './keys.js';
import { keyFileName, ROOT_FILE, writeKeyFile, writeRootFile, type KeyFile } from './key-files.js';
import { createRoot, ROLE_NAMES, type RoleName, type RootKeys, type RootMetadata } from './root.js';
import { signDocument, type Signed } from './signed.js';

export interface KeyInit {
  dir: string;
  counts: Record<RoleName, { keys: number; threshold: number }>;
  expiresInDays: number;
  /** Key files to delete first (a forced re-init). */
  replace?: readonly string[];
  nowMs?: number;
}

export function initKeys(o: KeyInit): { root: Signed<RootMetadata>; rootFile: string; expires: string } {
  mkdirSync(o.dir, { recursive: true });
  // Old key files go first, so a smaller set does not leave stale keys behind.
  for (const name of o.replace ?? []) rmSync(join(o.dir, name));
  const keys = {} as RootKeys;
  for (const role of ROLE_NAMES) keys[role] = Array.from({ length: o.counts[role].keys }, generateKeyPair);
  const thresholds = Object.fromEntries(ROLE_NAMES.map((r) => [r, o.counts[r].threshold])) as Record<RoleName, number>;
  const expires = new Date((o.nowMs ?? Date.now()) + o.expiresInDays * 86_400_000).toISOString();
  const root = signDocument(createRoot(keys, { version: 1, expires, thresholds }), keys.root);
  for (const role of ROLE_NAMES) {
    keys[role].forEach((k, i) => writeKeyFile(join(o.dir, keyFileName(role, i + 1)), { role, ...k } satisfies KeyFile));
  }
  const rootFile = join(o.dir, ROOT_FILE);
  writeRootFile(rootFile, root);
  return { root, rootFile, expires };
}
