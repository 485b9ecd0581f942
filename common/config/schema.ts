/**
 * One schema per component (STYLE.md §7): unknown keys are rejected, every problem is reported,
 * defaults are filled, and the result is frozen. The reference doc is generated from the same
 * schema (see describeSchema), so the doc cannot drift from the code.
 */
import { fail, ok, type Result, type VigieProblem } from '../errors.js';

interface FieldBase { doc: string }
export type FieldSpec =
  | (FieldBase & { type: 'string'; default?: string; enum?: readonly string[] })
  | (FieldBase & { type: 'integer' | 'number'; default?: number; min?: number; max?: number })
  | (FieldBase & { type: 'boolean'; default?: boolean })
  | (FieldBase & { type: 'string[]'; default?: readonly string[] });

export type Schema = Record<string, FieldSpec>;

type ValueOf<F extends FieldSpec> = F['type'] extends 'string' ? string
  : F['type'] extends 'integer' | 'number' ? number
  : F['type'] extends 'boolean' ? boolean
  : readonly string[];

export type ConfigOf<S extends Schema> = { readonly [K in keyof S]: ValueOf<S[K]> };

/** Validates `input` against `schema`; `where` names the source (file or flag set) for locations. */
export function parseConfig<S extends Schema>(schema: S, input: Record<string, unknown>, where: string): Result<ConfigOf<S>> {
  const problems: VigieProblem[] = [];
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(input)) {
    if (!(key in schema)) {
      problems.push({ code: 'VIGIE_CONFIG_INVALID', message: `unknown key "${key}"`, location: { file: where, field: key } });
    }
  }
  for (const [key, spec] of Object.entries(schema)) {
    const raw = input[key];
    if (raw === undefined) {
      if (spec.default === undefined) {
        problems.push({ code: 'VIGIE_CONFIG_INVALID', message: `"${key}" is required`, location: { file: where, field: key } });
      } else out[key] = spec.default;
      continue;
    }
    const problem = checkValue(spec, raw);
    if (problem) problems.push({ code: 'VIGIE_CONFIG_INVALID', message: `"${key}" ${problem}`, location: { file: where, field: key } });
    else out[key] = raw;
  }
  if (problems.length > 0) {
    const first = problems[0]!;
    const r = fail<ConfigOf<S>>(first.code, problems.map((p) => p.message).join('; '), { file: where, field: first.location?.field ?? '' });
    return Object.assign(r, { problems });
  }
  return ok(Object.freeze(out) as ConfigOf<S>);
}

function checkValue(spec: FieldSpec, raw: unknown): string | undefined {
  switch (spec.type) {
    case 'string':
      if (typeof raw !== 'string') return 'must be a string';
      if (spec.enum && !spec.enum.includes(raw)) return `must be one of ${spec.enum.join(', ')}`;
      return undefined;
    case 'integer':
    case 'number':
      if (typeof raw !== 'number' || !Number.isFinite(raw)) return 'must be a number';
      if (spec.type === 'integer' && !Number.isInteger(raw)) return 'must be an integer';
      if (spec.min !== undefined && raw < spec.min) return `must be at least ${spec.min}`;
      if (spec.max !== undefined && raw > spec.max) return `must be at most ${spec.max}`;
      return undefined;
    case 'boolean':
      return typeof raw === 'boolean' ? undefined : 'must be true or false';
    case 'string[]':
      return Array.isArray(raw) && raw.every((v) => typeof v === 'string') ? undefined : 'must be a list of strings';
  }
}

/** A Markdown table of the schema, for docs/CONFIG.md. */
export function describeSchema(title: string, schema: Schema): string {
  const rows = Object.entries(schema).map(([k, s]) => {
    const def = s.default === undefined ? '(required)' : JSON.stringify(s.default);
    const range = 'min' in s || 'max' in s ? ` (${'min' in s && s.min !== undefined ? s.min : ''}..${'max' in s && s.max !== undefined ? s.max : ''})` : '';
    const choices = 'enum' in s && s.enum ? ` one of: ${s.enum.join(', ')}` : '';
    return `| \`${k}\` | ${s.type}${range} | ${def} | ${s.doc}${choices} |`;
  });
  return [`### ${title}`, '', '| key | type | default | meaning |', '|---|---|---|---|', ...rows, ''].join('\n');
}
