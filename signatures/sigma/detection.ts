/**
 * A rule's `detection` map -> one IR condition.
 *
 * Search identifiers: a map is the AND of its items; a list is the OR of its elements (maps, or
 * keyword values); a lone scalar is one keyword. The condition (a string, or a list of strings
 * that are ORed) combines the identifiers; `1 of` / `all of` take patterns with `*` and `them`
 * (every identifier not starting with `_`).
 */
import type { Node } from '../ir.js';
import type { RuleContext } from './rule-context.js';
import { report } from './rule-context.js';
import type { YNode } from './yaml-tree.js';
import { scalarText } from './yaml-tree.js';
import { compileItem, compileKeyword } from './detection-item.js';
import type { Cond } from './condition-parser.js';
import { parseCondition } from './condition-parser.js';
import { and, not, or } from './simplify.js';

/** Compiled identifiers: undefined for those whose compilation reported problems. */
type Identifiers = Map<string, Node | undefined>;

export function compileDetection(ctx: RuleContext, detection: Extract<YNode, { kind: 'map' }>): Node | undefined {
  const identifiers: Identifiers = new Map();
  let condition: { value: YNode; line: number } | undefined;
  for (const e of detection.entries) {
    if (e.key === 'condition') {
      condition = { value: e.value, line: e.line };
    } else if (e.key === 'timeframe') {
      report(ctx, 'VIGIE_RULE_UNSUPPORTED', "'timeframe' (a time-windowed detection) is not supported", e.line);
    } else {
      identifiers.set(e.key, compileSearch(ctx, e.key, e.line, e.value));
    }
  }
  if (condition === undefined) {
    report(ctx, 'VIGIE_RULE_PARSE', "detection has no 'condition'", detection.line);
    return undefined;
  }
  const texts = condition.value.kind === 'seq' ? condition.value.items : [condition.value];
  const nodes: (Node | undefined)[] = [];
  if (texts.length === 0) report(ctx, 'VIGIE_RULE_PARSE', 'empty condition list', condition.line);
  for (const item of texts) {
    const text = scalarText(item);
    if (text === undefined || item.kind !== 'scalar') {
      report(ctx, 'VIGIE_RULE_PARSE', 'a condition must be a string', item.line);
      nodes.push(undefined);
      continue;
    }
    nodes.push(compileCondition(ctx, identifiers, text, item.line));
  }
  if (nodes.length === 0 || nodes.some((n) => n === undefined)) return undefined;
  return or(nodes as Node[]);
}

function compileSearch(ctx: RuleContext, name: string, line: number, value: YNode): Node | undefined {
  if (value.kind === 'map') {
    if (value.entries.length === 0) {
      report(ctx, 'VIGIE_RULE_COMPILE', `search identifier '${name}' is empty`, line);
      return undefined;
    }
    const items = value.entries.map((e) => compileItem(ctx, e.key, e.line, e.value));
    return items.some((n) => n === undefined) ? undefined : and(items as Node[]);
  }
  if (value.kind === 'seq') {
    if (value.items.length === 0) {
      report(ctx, 'VIGIE_RULE_COMPILE', `search identifier '${name}' is an empty list`, line);
      return undefined;
    }
    const items = value.items.map((item) => (item.kind === 'scalar' ? compileKeyword(ctx, item) : compileSearch(ctx, name, item.line, item)));
    return items.some((n) => n === undefined) ? undefined : or(items as Node[]);
  }
  if (value.value === null) {
    report(ctx, 'VIGIE_RULE_COMPILE', `search identifier '${name}' is empty`, line);
    return undefined;
  }
  return compileKeyword(ctx, value);
}

function compileCondition(ctx: RuleContext, identifiers: Identifiers, text: string, line: number): Node | undefined {
  const parsed = parseCondition(text);
  if (!parsed.ok) {
    report(ctx, parsed.unsupported ? 'VIGIE_RULE_UNSUPPORTED' : 'VIGIE_RULE_COMPILE', `condition '${text}': ${parsed.message}`, line);
    return undefined;
  }
  let ok = true;
  const fail = (message: string): undefined => {
    report(ctx, 'VIGIE_RULE_COMPILE', `condition '${text}': ${message}`, line);
    ok = false;
    return undefined;
  };
  const build = (c: Cond): Node | undefined => {
    switch (c.k) {
      case 'id': {
        if (!identifiers.has(c.name)) return fail(`unknown search identifier '${c.name}' (column ${c.col})`);
        const node = identifiers.get(c.name);
        if (node === undefined) ok = false; // its problems are already reported
        return node;
      }
      case 'of': {
        const names = matchIdentifiers(identifiers, c.pattern);
        if (names.length === 0) return fail(`'${c.pattern}' (column ${c.col}) matches no search identifier`);
        const nodes = names.map((n) => identifiers.get(n));
        if (nodes.some((n) => n === undefined)) {
          ok = false;
          return undefined;
        }
        return c.quant === 'all' ? and(nodes as Node[]) : or(nodes as Node[]);
      }
      case 'not': {
        const arg = build(c.arg);
        return arg === undefined ? undefined : not(arg);
      }
      case 'and':
      case 'or': {
        // Build every argument (not only up to the first failure) so that all problems are reported.
        const args = c.args.map(build);
        if (args.some((a) => a === undefined)) return undefined;
        return c.k === 'and' ? and(args as Node[]) : or(args as Node[]);
      }
    }
  };
  const node = build(parsed.cond);
  return ok ? node : undefined;
}

/** Identifier names for `them` or a pattern with `*` wildcards, in definition order. */
function matchIdentifiers(identifiers: Identifiers, pattern: string): string[] {
  const names = [...identifiers.keys()];
  if (pattern === 'them') return names.filter((n) => !n.startsWith('_'));
  const re = new RegExp(`^${pattern.replace(/[\\^$.+?()[\]{}|]/g, '\\$&').replace(/\*/g, '.*')}$`);
  return names.filter((n) => re.test(n));
}
