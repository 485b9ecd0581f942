/** The spool's option schema (STYLE.md §7): validated once at open, every problem reported, frozen. */
import { parseConfig, type ConfigOf } from '../../common/config/schema.js';
import { fail, ok, type Result } from '../../common/errors.js';
import type { SpoolOptions } from './types.js';

const MiB = 1024 * 1024;

export const SPOOL_SCHEMA = {
  dir: { type: 'string', doc: 'directory of this sensor\'s spool (created if missing)' },
  maxBytes: { type: 'integer', min: 1024, max: Number.MAX_SAFE_INTEGER, default: 64 * MiB, doc: 'bound on the bytes of all segment files; overflow drops the oldest segment' },
  segmentBytes: { type: 'integer', min: 64, max: 0xffff_ffff, default: 4 * MiB, doc: 'the active segment is rotated before it would pass this; must be < maxBytes' },
  fsync: { type: 'boolean', default: false, doc: 'fdatasync after each append (survives power loss, costs throughput)' },
} as const;

export type ResolvedSpoolOptions = ConfigOf<typeof SPOOL_SCHEMA>;

export function resolveSpoolOptions(input: SpoolOptions): Result<ResolvedSpoolOptions> {
  const raw: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) if (v !== undefined) raw[k] = v;
  const parsed = parseConfig(SPOOL_SCHEMA, raw, 'spool options');
  if (!parsed.ok) return parsed;
  const o = parsed.value;
  if (o.dir.length === 0) return fail('VIGIE_CONFIG_INVALID', '"dir" must not be empty', { field: 'dir' });
  if (o.segmentBytes >= o.maxBytes) {
    return fail('VIGIE_CONFIG_INVALID', `"segmentBytes" (${o.segmentBytes}) must be less than "maxBytes" (${o.maxBytes})`, { field: 'segmentBytes' });
  }
  return ok(o);
}
