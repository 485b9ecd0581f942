/**
 * One detection item: `Field|mod|mod: value-or-list` (or a keyword value without a field) -> an IR
 * node. The values of a list are ORed, or ANDed with `|all`; the expansions of one value (windash,
 * base64offset) are always ORed.
 */
import type { Node, Test } from '../ir.js';
import type { VigieField } from '../fields/vigie-fields.js';
import { mapField } from '../fields/field-map.js';
import type { RuleContext } from './rule-context.js';
import { report } from './rule-context.js';
import type { YNode } from './yaml-tree.js';
import type { ModError, Val } from './modifiers.js';
import { LIST_MODIFIERS, applyModifier, initialValue } from './modifiers.js';
import type { Target } from './to-test.js';
import { toTest } from './to-test.js';
import { and, not, or } from './simplify.js';

/** Compiles `key: value` from a selection map; undefined (with problems reported) when it cannot. */
export function compileItem(ctx: RuleContext, key: string, keyLine: number, value: YNode): Node | undefined {
  const [fieldName = '', ...modifiers] = key.split('|');
  let target: Target = { kind: 'keyword' };
  let ok = true;
  if (fieldName !== '') {
    const field = mapField(ctx.category, fieldName);
    if (field === undefined) {
      report(ctx, 'VIGIE_RULE_UNSUPPORTED', `field '${fieldName}' has no Vigie equivalent for ${ctx.category} rules`, keyLine);
      ok = false;
    }
    target = { kind: 'field', field };
  }
  const node = compileValues(ctx, target, modifiers, keyLine, value);
  return ok ? node : undefined;
}

/** Compiles a plain keyword list item (a value under a selection that is a list, no field). */
export function compileKeyword(ctx: RuleContext, value: YNode): Node | undefined {
  return compileValues(ctx, { kind: 'keyword' }, [], value.line, value);
}

function compileValues(ctx: RuleContext, target: Target, rawModifiers: readonly string[], keyLine: number, value: YNode): Node | undefined {
  const modifiers = rawModifiers.map((m) => m.trim().toLowerCase());
  const all = modifiers.includes('all');
  const cased = modifiers.includes('cased');
  const negate = modifiers.includes('neq');
  const valueModifiers = modifiers.filter((m) => !LIST_MODIFIERS.has(m));
  if (modifiers.some((m) => m === '')) {
    report(ctx, 'VIGIE_RULE_COMPILE', `empty modifier in '${rawModifiers.join('|')}'`, keyLine);
    return undefined;
  }
  const scalars = value.kind === 'seq' ? value.items : [value];
  if (scalars.length === 0) {
    report(ctx, 'VIGIE_RULE_COMPILE', 'empty list of values', value.line);
    return undefined;
  }
  const nodes: Node[] = [];
  let ok = true;
  const reported = new Set<string>();
  for (const item of scalars) {
    if (item.kind !== 'scalar') {
      report(ctx, 'VIGIE_RULE_COMPILE', 'a value must be a string, number, boolean or null, not a nested list or map', item.line);
      ok = false;
      continue;
    }
    const tests = compileValue(ctx, target, valueModifiers, cased, item);
    if (!Array.isArray(tests)) {
      // The same modifier problem on every value of a list is reported once, on the key's line.
      const once = `${tests.code}:${tests.message}`;
      if (!reported.has(once)) report(ctx, tests.code, tests.message, tests.code === 'VIGIE_RULE_UNSUPPORTED' ? keyLine : item.line);
      reported.add(once);
      ok = false;
      continue;
    }
    nodes.push(or(tests.map((test) => leaf(target, test))));
  }
  if (!ok) return undefined;
  const combined = all ? and(nodes) : or(nodes);
  return negate ? not(combined) : combined;
}

function leaf(target: Target, test: Test): Node {
  // An unmapped field has already been reported; its node is never used.
  if (target.kind === 'keyword' || target.field === undefined) return { op: 'keyword', test };
  return { op: 'field', field: target.field, test };
}

function compileValue(
  ctx: RuleContext,
  target: Target,
  modifiers: readonly string[],
  cased: boolean,
  item: Extract<YNode, { kind: 'scalar' }>,
): Test[] | ModError {
  let vals: Val[] = [initialValue(item.value, item.text)];
  for (const [position, name] of modifiers.entries()) {
    const next: Val[] = [];
    for (const v of vals) {
      const r = applyModifier(name, v, position);
      if (!Array.isArray(r)) return r;
      next.push(...r);
    }
    vals = next;
  }
  const tests: Test[] = [];
  const resolveField = (name: string): VigieField | ModError =>
    mapField(ctx.category, name) ?? {
      code: 'VIGIE_RULE_UNSUPPORTED',
      message: `field '${name}' named by fieldref has no Vigie equivalent for ${ctx.category} rules`,
    };
  for (const v of vals) {
    const test = toTest(v, target, { cased, modified: modifiers.length > 0, resolveField });
    if ('code' in test) return test;
    tests.push(test);
  }
  return tests;
}
