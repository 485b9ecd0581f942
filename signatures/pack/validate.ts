/**
 * Structural validation of a pack read from disk or the wire: every rule and every node of its
 * condition has the IR's shape (ir.ts). What needs compiling to check (regex sources, CIDR
 * networks) is checked when the rule set is built, by the same code the sensor runs.
 * Reports every problem, each with the pack file and the rule id.
 */
import type { ErrorLocation, VigieProblem } from '../../common/errors.js';
import { isVigieField } from '../fields/vigie-fields.js';
import type { CompiledRule } from '../ir.js';
import { PACK_FORMAT, type SignaturePack } from './format.js';

const CATEGORIES = new Set(['process_creation', 'network_connection', 'dns_query']);
const LEVELS = new Set(['informational', 'low', 'medium', 'high', 'critical']);
const MODES = new Set(['eq', 'contains', 'startswith', 'endswith']);
const CMPS = new Set(['eq', 'gt', 'gte', 'lt', 'lte']);
const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const MAX_DEPTH = 64;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

export function validatePack(value: unknown, file: string): VigieProblem[] {
  const problems: VigieProblem[] = [];
  const at = (message: string, location: ErrorLocation = {}) => problems.push({ code: 'VIGIE_PACK_INVALID', message, location: { file, ...location } });
  if (!isObj(value)) {
    at('a pack is a JSON object');
    return problems;
  }
  if (value['format'] !== PACK_FORMAT) at(`format is ${JSON.stringify(value['format'])}, this Vigie reads ${PACK_FORMAT}`, { field: 'format' });
  if (typeof value['name'] !== 'string' || value['name'] === '') at('name must be a non-empty string', { field: 'name' });
  if (typeof value['version'] !== 'string' || !SEMVER.test(value['version'])) at('version must be a semantic version (e.g. 1.2.0)', { field: 'version' });
  if (typeof value['created'] !== 'string' || Number.isNaN(Date.parse(value['created']))) at('created must be an ISO 8601 time', { field: 'created' });
  if (typeof value['compiler'] !== 'string') at('compiler must be a string', { field: 'compiler' });
  const rules = value['rules'];
  if (!Array.isArray(rules)) {
    at('rules must be an array', { field: 'rules' });
    return problems;
  }
  const ids = new Set<string>();
  rules.forEach((r, i) => {
    const id = isObj(r) && typeof r['id'] === 'string' ? r['id'] : `rules[${i}]`;
    if (ids.has(id)) at(`rule id ${id} appears twice`, { field: id });
    ids.add(id);
    for (const message of ruleProblems(r)) at(message, { field: id });
  });
  return problems;
}

/** Narrowing helper for callers that validated first. */
export function asPack(value: unknown): SignaturePack {
  return value as SignaturePack;
}

function ruleProblems(r: unknown): string[] {
  if (!isObj(r)) return ['a rule is a JSON object'];
  const out: string[] = [];
  for (const k of ['id', 'title', 'status', 'description', 'author'] as const) if (typeof r[k] !== 'string') out.push(`${k} must be a string`);
  if (typeof r['level'] !== 'string' || !LEVELS.has(r['level'])) out.push(`level must be one of ${[...LEVELS].join(', ')}`);
  for (const k of ['tags', 'references', 'falsepositives'] as const) if (!isStrings(r[k])) out.push(`${k} must be an array of strings`);
  const ls = r['logsource'];
  if (!isObj(ls) || typeof ls['category'] !== 'string' || !CATEGORIES.has(ls['category'])) out.push('logsource.category must be process_creation, network_connection or dns_query');
  const src = r['source'];
  if (!isObj(src) || typeof src['file'] !== 'string' || typeof src['line'] !== 'number') out.push('source must be {file, line}');
  nodeProblems(r['condition'], 'condition', 0, out);
  return out;
}

function nodeProblems(n: unknown, path: string, depth: number, out: string[]): void {
  if (depth > MAX_DEPTH) return void out.push(`${path}: nested deeper than ${MAX_DEPTH}`);
  if (!isObj(n)) return void out.push(`${path}: a node is an object`);
  switch (n['op']) {
    case 'and':
    case 'or':
      if (!Array.isArray(n['args']) || n['args'].length === 0) return void out.push(`${path}: ${n['op']} needs a non-empty args array`);
      n['args'].forEach((a, i) => nodeProblems(a, `${path}.args[${i}]`, depth + 1, out));
      return;
    case 'not':
      return nodeProblems(n['arg'], `${path}.arg`, depth + 1, out);
    case 'const':
      if (typeof n['value'] !== 'boolean') out.push(`${path}: const needs a boolean value`);
      return;
    case 'field':
      if (typeof n['field'] !== 'string' || !isVigieField(n['field'])) out.push(`${path}: unknown field ${JSON.stringify(n['field'])}`);
      return testProblems(n['test'], `${path}.test`, out);
    case 'keyword':
      return testProblems(n['test'], `${path}.test`, out);
    default:
      out.push(`${path}: unknown op ${JSON.stringify(n['op'])}`);
  }
}

function testProblems(t: unknown, path: string, out: string[]): void {
  if (!isObj(t)) return void out.push(`${path}: a test is an object`);
  const str = (k: string) => typeof t[k] === 'string';
  const bool = (k: string) => typeof t[k] === 'boolean';
  let good: boolean;
  switch (t['t']) {
    case 'str': good = MODES.has(t['mode'] as string) && str('value') && bool('cased'); break;
    case 'glob': good = str('pattern') && bool('cased'); break;
    case 're': good = str('source') && str('flags'); break;
    case 'cidr': good = str('cidr'); break;
    case 'num': good = CMPS.has(t['cmp'] as string) && typeof t['value'] === 'number' && Number.isFinite(t['value']); break;
    case 'exists': good = bool('value'); break;
    case 'empty': good = true; break;
    case 'fieldref': good = str('other') && isVigieField(t['other'] as string) && MODES.has(t['mode'] as string) && bool('cased'); break;
    default: return void out.push(`${path}: unknown test ${JSON.stringify(t['t'])}`);
  }
  if (!good) out.push(`${path}: malformed ${String(t['t'])} test`);
}

export type { CompiledRule };
