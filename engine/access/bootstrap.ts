/**
 * First run of the all-in-one (`vigie start`): with no user at all, creates the user `admin`
 * (role admin) and a token for it, written to a file only its owner can read, so the console can
 * be opened at once. Later runs find the user and create nothing.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { unwrap } from '../../common/errors.js';
import type { SqliteStore } from '../store/index.js';
import { AccessService } from './access.js';

/** Returns the path of the token file when it created the first user, undefined otherwise. */
export function bootstrapAdmin(store: SqliteStore, tokenFile: string, nowMs = Date.now()): string | undefined {
  if (store.access.userCount() > 0) return undefined;
  const access = new AccessService(store);
  unwrap(access.createUser('bootstrap', 'admin', 'admin', [], nowMs));
  const { token } = unwrap(access.issueToken('bootstrap', 'admin', 'first-run console token', null, nowMs));
  mkdirSync(dirname(tokenFile), { recursive: true });
  writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
  chmodSync(tokenFile, 0o600);
  return tokenFile;
}
