/**
 * Shape of a rollout directive (rollout/controller/directive.ts): every problem, each with its field.
 */
import type { VigieProblem } from '../../common/errors.js';
import { isVersion } from '../bundle/semver.js';
import { DIRECTIVE_FORMAT } from '../controller/directive.js';
import { parseIsoTime } from './iso-time.js';

const FIELDS = ['format', 'serial', 'issued', 'expires', 'targets', 'rollback'];
const KINDS = ['signatures', 'model'];

export function directiveProblems(value: unknown, file?: string): VigieProblem[] {
  const out: VigieProblem[] = [];
  const add = (field: string, message: string): void => {
    const f = `signed.${field}`;
    out.push({ code: 'VIGIE_DIRECTIVE_INVALID', message: `directive: ${message}`, location: file === undefined ? { field: f } : { file, field: f } });
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    add('', 'must be an object');
    return out;
  }
  const d = value as Record<string, unknown>;
  for (const k of Object.keys(d)) if (!FIELDS.includes(k)) add(k, `unknown field "${k}"`);
  if (d.format !== DIRECTIVE_FORMAT) add('format', `format must be "${DIRECTIVE_FORMAT}"`);
  if (typeof d.serial !== 'number' || !Number.isSafeInteger(d.serial) || d.serial < 0) add('serial', 'serial must be a non-negative integer');
  if (parseIsoTime(d.issued) === undefined) add('issued', 'issued must be an ISO 8601 time');
  if (parseIsoTime(d.expires) === undefined) add('expires', 'expires must be an ISO 8601 time');
  const entry = (list: string, i: number, e: unknown, withSha: boolean): void => {
    const f = `${list}[${i}]`;
    const t = e as Record<string, unknown> | null;
    if (typeof t !== 'object' || t === null) return add(f, 'must be an object');
    if (!KINDS.includes(t.kind as string)) add(`${f}.kind`, 'kind must be "signatures" or "model"');
    if (typeof t.name !== 'string' || t.name === '') add(`${f}.name`, 'name must be a non-empty string');
    if (!isVersion(t.version)) add(`${f}.version`, 'version must be a semantic version');
    if (withSha && (typeof t.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(t.sha256))) add(`${f}.sha256`, 'sha256 must be 64 lower-case hex digits');
  };
  if (!Array.isArray(d.targets)) add('targets', 'targets must be an array');
  else {
    d.targets.forEach((t, i) => entry('targets', i, t, true));
    // One target per kind and name: two would leave the sensor to guess which to run.
    const seen = new Set<string>();
    d.targets.forEach((t, i) => {
      const key = `${(t as { kind?: unknown })?.kind}/${(t as { name?: unknown })?.name}`;
      if (seen.has(key)) add(`targets[${i}]`, `a second target for ${key}`);
      seen.add(key);
    });
  }
  if (!Array.isArray(d.rollback)) add('rollback', 'rollback must be an array');
  else d.rollback.forEach((r, i) => entry('rollback', i, r, false));
  return out;
}
