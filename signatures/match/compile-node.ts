/**
 * A rule's condition tree (IR Node) -> one predicate over an EventView, built once per rule set.
 * Sigma's value lists arrive as an OR of string tests on one field; those are merged into one
 * predicate per (field, case sensitivity) that reads the field once and loops over the values.
 */
import type { EventView } from '../fields/event-view.js';
import { fieldIdOf, stringFieldsOf } from '../fields/event-view.js';
import type { VigieField } from '../fields/vigie-fields.js';
import type { Node, RuleCategory, Test } from '../ir.js';
import type { Pred, Report, StrAlternatives } from './compile-test.js';
import { ALWAYS, NEVER, compileTest, strAnyPred } from './compile-test.js';

export function allOf(preds: readonly Pred[]): Pred {
  if (preds.length === 0) return ALWAYS;
  if (preds.length === 1) return preds[0] as Pred;
  if (preds.length === 2) {
    const [a, b] = preds as [Pred, Pred];
    return (v) => a(v) && b(v);
  }
  const ps = [...preds];
  return (v) => {
    for (let i = 0; i < ps.length; i++) if (!(ps[i] as Pred)(v)) return false;
    return true;
  };
}

export function anyOf(preds: readonly Pred[]): Pred {
  if (preds.length === 0) return NEVER;
  if (preds.length === 1) return preds[0] as Pred;
  if (preds.length === 2) {
    const [a, b] = preds as [Pred, Pred];
    return (v) => a(v) || b(v);
  }
  const ps = [...preds];
  return (v) => {
    for (let i = 0; i < ps.length; i++) if ((ps[i] as Pred)(v)) return true;
    return false;
  };
}

const KEYWORD_TESTS: readonly string[] = ['str', 'glob', 're'];

function compileField(name: string, test: Test, report: Report): Pred {
  const f = fieldIdOf(name);
  if (f === undefined) {
    report(`unknown field "${name}"`);
    return NEVER;
  }
  const pred = compileTest(f, test);
  if (typeof pred === 'string') {
    report(`${name}: ${pred}`);
    return NEVER;
  }
  return pred;
}

function compileKeyword(test: Test, category: RuleCategory, report: Report): Pred {
  if (!KEYWORD_TESTS.includes(test.t)) {
    report(`a keyword takes str, glob or re tests, not ${test.t}`);
    return NEVER;
  }
  const preds: Pred[] = [];
  for (const f of stringFieldsOf(category)) {
    const pred = compileTest(f, test);
    if (typeof pred === 'string') {
      report(`keyword: ${pred}`);
      return NEVER;
    }
    preds.push(pred);
  }
  return anyOf(preds);
}

type StrFieldNode = { op: 'field'; field: VigieField; test: Extract<Test, { t: 'str' }> };

function isStrField(n: Node): n is StrFieldNode {
  if (n.op !== 'field' || n.test?.t !== 'str') return false;
  const f = fieldIdOf(n.field);
  // What compileTest refuses goes the ordinary way, to be reported there.
  return f !== undefined && typeof compileTest(f, n.test) !== 'string';
}

/** OR: string tests on one field (same case sensitivity) become one predicate. */
function compileOr(args: readonly Node[], category: RuleCategory, report: Report): Pred {
  const groups = new Map<string, { f: number; cased: boolean; alt: StrAlternatives; first: Node; count: number }>();
  const rest: Node[] = [];
  for (const arg of args) {
    if (!isStrField(arg)) {
      rest.push(arg);
      continue;
    }
    const f = fieldIdOf(arg.field) as number;
    const cased = arg.test.cased === true;
    const key = `${f}:${cased}`;
    let g = groups.get(key);
    if (!g) {
      g = { f, cased, alt: { eq: [], contains: [], startswith: [], endswith: [] }, first: arg, count: 0 };
      groups.set(key, g);
    }
    g.alt[arg.test.mode].push(arg.test.value);
    g.count++;
  }
  const preds: Pred[] = [];
  for (const g of groups.values()) {
    preds.push(g.count === 1 ? compileNode(g.first, category, report) : strAnyPred(g.f, g.cased, g.alt));
  }
  for (const arg of rest) preds.push(compileNode(arg, category, report));
  return anyOf(preds);
}

/** Compiles `node`; its problems go to `report` (the predicate is then never used). */
export function compileNode(node: Node, category: RuleCategory, report: Report): Pred {
  switch (node?.op) {
    case 'and':
      if (!Array.isArray(node.args)) break;
      return allOf(node.args.map((arg) => compileNode(arg, category, report)));
    case 'or':
      if (!Array.isArray(node.args)) break;
      return compileOr(node.args, category, report);
    case 'not': {
      const inner = compileNode(node.arg, category, report);
      return (v: EventView) => !inner(v);
    }
    case 'field':
      return compileField(node.field, node.test ?? ({} as Test), report);
    case 'keyword':
      return compileKeyword(node.test ?? ({} as Test), category, report);
    case 'const':
      return node.value ? ALWAYS : NEVER;
    default:
  }
  report(`malformed condition node ${JSON.stringify(node)?.slice(0, 80)}`);
  return NEVER;
}
