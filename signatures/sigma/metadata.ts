/**
 * Rule metadata (title, id, level, tags...) and the logsource scope check.
 *
 * Vigie compiles three logsource categories (ir.ts RuleCategory) for Windows, Linux or an
 * unnamed product. Other logsources are not errors: the compiler lists them as out of scope, so
 * that a full SigmaHQ checkout can be fed in and only what Vigie can match is kept.
 */
import type { CompiledRule, RuleCategory, RuleLevel } from '../ir.js';
import type { RuleContext } from './rule-context.js';
import { report } from './rule-context.js';
import type { YEntry, YNode } from './yaml-tree.js';
import { entry, scalarText } from './yaml-tree.js';

export const RULE_CATEGORIES: readonly RuleCategory[] = ['process_creation', 'network_connection', 'dns_query'];
const PRODUCTS: ReadonlySet<string> = new Set(['windows', 'linux']);
/** Sysmon is where these categories' events come from on Windows; naming it changes nothing. */
const SERVICES: ReadonlySet<string> = new Set(['sysmon']);
const LEVELS: ReadonlySet<string> = new Set(['informational', 'low', 'medium', 'high', 'critical']);

export interface Logsource {
  category?: string;
  product?: string;
  service?: string;
  line: number;
}

export type Scope = { in: true; category: RuleCategory } | { in: false; label: string };

export function readLogsource(node: YEntry | undefined): Logsource | undefined {
  if (node === undefined || node.value.kind !== 'map') return undefined;
  const text = (key: string): string | undefined => scalarText(entry(node.value, key)?.value);
  const out: Logsource = { line: node.line };
  const category = text('category');
  const product = text('product');
  const service = text('service');
  if (category !== undefined) out.category = category;
  if (product !== undefined) out.product = product;
  if (service !== undefined) out.service = service;
  return out;
}

export function scopeOf(ls: Logsource): Scope {
  const category = RULE_CATEGORIES.find((c) => c === ls.category);
  const productOk = ls.product === undefined || PRODUCTS.has(ls.product);
  const serviceOk = ls.service === undefined || SERVICES.has(ls.service);
  if (category !== undefined && productOk && serviceOk) return { in: true, category };
  const label = [ls.category, ls.product, ls.service].filter((p) => p !== undefined).join('/');
  return { in: false, label: label === '' ? '(empty logsource)' : label };
}

/** A compiled rule's metadata keys, as read (the id may be missing: validate warns). */
export type Metadata = Pick<CompiledRule, 'title' | 'level' | 'status' | 'description' | 'author' | 'tags' | 'references' | 'falsepositives'> & {
  id: string | undefined;
};

/** Reads the metadata keys, reporting missing or malformed ones; `title` is '' when missing. */
export function readMetadata(ctx: RuleContext, root: Extract<YNode, { kind: 'map' }>, docLine: number): Metadata {
  const text = (key: string, required: boolean): string | undefined => {
    const e = entry(root, key);
    if (e === undefined) {
      if (required) report(ctx, 'VIGIE_RULE_PARSE', `rule has no '${key}'`, docLine);
      return undefined;
    }
    const value = scalarText(e.value);
    if (value === undefined) report(ctx, 'VIGIE_RULE_PARSE', `'${key}' must be a string`, e.line);
    return value;
  };
  const list = (key: string): string[] => {
    const e = entry(root, key);
    if (e === undefined || (e.value.kind === 'scalar' && e.value.value === null)) return [];
    const items = e.value.kind === 'seq' ? e.value.items : [e.value];
    const out: string[] = [];
    for (const item of items) {
      const value = scalarText(item);
      if (value === undefined) report(ctx, 'VIGIE_RULE_PARSE', `'${key}' must be a list of strings`, item.line);
      else out.push(value);
    }
    return out;
  };
  const levelEntry = entry(root, 'level');
  let level: RuleLevel = 'medium';
  if (levelEntry !== undefined) {
    const value = scalarText(levelEntry.value);
    if (value !== undefined && LEVELS.has(value)) level = value as RuleLevel;
    else report(ctx, 'VIGIE_RULE_PARSE', `invalid level '${value ?? ''}' (expected ${[...LEVELS].join(', ')})`, levelEntry.value.line);
  }
  return {
    title: text('title', true) ?? '',
    id: text('id', false),
    level,
    status: text('status', false) ?? '',
    description: text('description', false) ?? '',
    author: text('author', false) ?? '',
    tags: list('tags'),
    references: list('references'),
    falsepositives: list('falsepositives'),
  };
}
