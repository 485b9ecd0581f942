/** Helpers shared by `vigie rollout keys|bundle|verify|audit`: argument errors, problem lines, the pinned root. */
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { formatLocation } from '../../common/errors.js';
import type { Result, VigieProblem } from '../../common/errors.js';
import { readRootFile, TrustStore } from '../../rollout/trust/index.js';
import type { CommandContext } from '../command.js';

export const DEFAULT_KEYS_DIR = 'var/rollout/keys';
export const DEFAULT_AUDIT_DB = 'var/rollout.db';

export function problemLine(p: VigieProblem): string {
  return `${p.code}: ${p.message}${p.location ? ` (${formatLocation(p.location)})` : ''}`;
}

/** parseArgs, with its errors turned into a usage message (exit 2 is the caller's). */
export function parseOrUsage<T extends ParseArgsConfig>(ctx: CommandContext, config: T, usage: string): ReturnType<typeof parseArgs<T>> | undefined {
  try {
    return parseArgs(config);
  } catch (e) {
    if ((e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      ctx.stderr(`${(e as Error).message}\n${usage}\n`);
      return undefined;
    }
    throw e;
  }
}

/** A positive integer flag, or undefined after printing why (a usage error). */
export function positiveInt(ctx: CommandContext, value: string | undefined, name: string, fallback: number): number | undefined {
  const n = value === undefined ? fallback : Number(value);
  if (!Number.isSafeInteger(n) || n < 1) {
    ctx.stderr(`--${name} must be a positive integer, got "${value}"\n`);
    return undefined;
  }
  return n;
}

/** The trust a sensor would hold: the root file, checked as pinned. */
export function loadTrust(file: string, nowMs: number): Result<TrustStore> {
  const root = readRootFile(file);
  if (!root.ok) return root;
  return TrustStore.fromRoot(root.value, nowMs, { file });
}
