/**
 * Shape of a bundle manifest: every problem, each with its field, so a validator shows them all.
 * Unknown fields are problems too: a sensor must not sign off content whose meaning it cannot read.
 */
import type { VigieProblem } from '../../common/errors.js';
import { parseIsoTime } from '../trust/iso-time.js';
import { BUNDLE_FORMAT } from './manifest.js';
import { isRange, isVersion, parseRange } from './semver.js';

const FIELDS = ['format', 'kind', 'name', 'version', 'sensorRange', 'engineRange', 'featureSchema', 'sha256', 'size', 'created', 'expires'];
const NAME = /^[a-z0-9][a-z0-9._-]{0,127}$/;

export function manifestProblems(value: unknown, file?: string): VigieProblem[] {
  const out: VigieProblem[] = [];
  const add = (field: string, message: string): void => {
    out.push({
      code: 'VIGIE_BUNDLE_INVALID',
      message: `manifest: ${message}`,
      location: file === undefined ? { field: `signed.${field}` } : { file, field: `signed.${field}` },
    });
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    out.push({ code: 'VIGIE_BUNDLE_INVALID', message: 'manifest: must be an object', location: file === undefined ? { field: 'signed' } : { file, field: 'signed' } });
    return out;
  }
  const m = value as Record<string, unknown>;
  for (const k of Object.keys(m)) if (!FIELDS.includes(k)) add(k, `unknown field "${k}"`);
  if (m.format !== BUNDLE_FORMAT) add('format', `format must be "${BUNDLE_FORMAT}"`);
  if (m.kind !== 'signatures' && m.kind !== 'model') add('kind', 'kind must be "signatures" or "model"');
  if (typeof m.name !== 'string' || !NAME.test(m.name)) add('name', 'name must be 1-128 of [a-z0-9._-], starting with a letter or digit');
  if (!isVersion(m.version)) add('version', 'version must be a semantic version (MAJOR.MINOR.PATCH[-pre][+build])');
  for (const f of ['sensorRange', 'engineRange'] as const) {
    const r = m[f];
    if (typeof r !== 'string') add(f, `${f} must be a semver range string`);
    else if (!isRange(r)) add(f, `${f}: ${(parseRange(r) as { error: string }).error}`);
  }
  if (typeof m.featureSchema !== 'string' || !/^[a-z0-9.-]+\/\d+$/.test(m.featureSchema)) {
    add('featureSchema', 'featureSchema must look like "vigie.fields/1"');
  }
  if (typeof m.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(m.sha256)) add('sha256', 'sha256 must be 64 lower-case hex digits');
  if (typeof m.size !== 'number' || !Number.isSafeInteger(m.size) || m.size < 0) add('size', 'size must be a non-negative integer');
  const created = parseIsoTime(m.created);
  const expires = parseIsoTime(m.expires);
  if (created === undefined) add('created', 'created must be an ISO 8601 time');
  if (expires === undefined) add('expires', 'expires must be an ISO 8601 time');
  if (created !== undefined && expires !== undefined && expires <= created) add('expires', 'expires must be after created');
  return out;
}
