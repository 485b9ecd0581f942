/**
 * Vigie's default signature pack: the project's own Sigma rules in signatures/rules, compiled
 * when asked (a few dozen rules compile in milliseconds). Used by `npm start`, `vigie sensor`
 * and `vigie simulate` unless another pack is given.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { VigieError } from '../../common/errors.js';
import { buildPack } from './build.js';
import type { SignaturePack } from './format.js';

export const DEFAULT_PACK_NAME = 'vigie-default';
export const DEFAULT_PACK_VERSION = '0.1.0';

/** signatures/rules, from the sources (tests) or from dist/ (the rules are not copied there). */
export function defaultRulesDir(): string {
  const here = new URL(import.meta.url);
  const fromSource = new URL('../rules/', here);
  const fromDist = new URL('../../../signatures/rules/', here);
  return fileURLToPath(here.pathname.endsWith('.ts') || !existsSync(fileURLToPath(fromDist)) ? fromSource : fromDist);
}

export function defaultPack(nowMs?: number): SignaturePack {
  const built = buildPack([defaultRulesDir()], { name: DEFAULT_PACK_NAME, version: DEFAULT_PACK_VERSION, ...(nowMs !== undefined ? { nowMs } : {}) });
  if (!built.ok) throw VigieError.from(built.problems[0]!);
  // The shipped rules are tested to compile cleanly; a problem here is a bug in this build.
  if (built.value.problems.length > 0) throw VigieError.from(built.value.problems[0]!);
  return built.value.pack;
}
