/** Shared option handling: flags and an optional JSON config file, validated by component schemas. */
import { readFileSync } from 'node:fs';
import { parseConfig, type ConfigOf, type Schema } from '../common/config/schema.js';
import { fail, unwrap, VigieError, type Result } from '../common/errors.js';

/** Reads `--config FILE` (JSON with one object per component) and returns the named section. */
export function configSection(path: string | undefined, section: string): Result<Record<string, unknown>> {
  if (!path) return { ok: true, value: {} };
  try {
    const all = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    const value = all[section] ?? {};
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return fail('VIGIE_CONFIG_INVALID', `"${section}" must be an object`, { file: path, field: section });
    }
    return { ok: true, value: value as Record<string, unknown> };
  } catch (e) {
    return fail('VIGIE_CONFIG_INVALID', (e as Error).message, { file: path });
  }
}

/** Config file section, then flag overrides; validated and frozen. Throws VigieError on problems. */
export function loadConfig<S extends Schema>(schema: S, file: string | undefined, section: string, overrides: Record<string, unknown>): ConfigOf<S> {
  const base = unwrap(configSection(file, section));
  const merged: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) merged[k] = v;
  return unwrap(parseConfig(schema, merged, file ?? `${section} options`));
}

export function intFlag(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new VigieError('VIGIE_CONFIG_INVALID', `--${name} must be a number, got "${value}"`, { field: name });
  return n;
}
