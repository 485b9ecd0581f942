/**
 * Required literals: for a rule's condition, a set of lower-cased strings at least one of which
 * must occur in the event's lower-cased string fields for the condition to possibly hold. The
 * prefilter (prefilter.ts) looks for all of a category's literals in one pass and evaluates only
 * the rules whose literal it found, plus the rules that have no requirement.
 *
 * - str test: its value; glob: its longest literal run; re: its longest required literal run
 *   (regex-literals.ts). Case-sensitive values (`cased`, a regex without `i`) are lower-cased too
 *   (the prefilter reads lower-cased text) when they are ASCII: lower-casing an ASCII character
 *   never depends on its neighbours, while Unicode's final sigma does.
 *   Regexes go beyond "no requirement" on purpose: without them a fifth of the SigmaHQ
 *   process_creation rules' evaluation time went to regex rules evaluated on every event.
 * - AND: the most selective child requirement (longest shortest literal, then fewest literals).
 * - OR: the union of the children's, none when any child has none.
 * - NOT, num, cidr, exists, empty, fieldref, const true: none. const false: the empty set
 *   (the node never holds, so neither does the rule: it is never evaluated).
 * - ASCII literals shorter than MIN_LITERAL are no requirement: they occur in nearly every event.
 *   A literal with a character beyond ASCII is one whatever its length: the prefilter's alphabet
 *   reads every such character as one class (automaton/trie.ts), so "а" (Cyrillic) requires "a
 *   character beyond ASCII", which most command lines lack. On the SigmaHQ process_creation
 *   rules this takes the lookalike, emoji and Unicode-obfuscation rules (7 of the 13 rules
 *   evaluated on every event) off the events without such a character.
 */
import { fieldIdOf, isNumberField, stringFieldsOf } from '../fields/event-view.js';
import type { Node, RuleCategory, Test } from '../ir.js';
import { longestLiteral } from './glob.js';
import { regexLiteralRuns } from './regex-literals.js';

export const MIN_LITERAL = 2;

export interface Requirement {
  /**
   * Lower-cased literal -> the field ids it was taken from (where the prefilter looks for it).
   * At least one literal occurs in its fields in any event the node holds on. Empty: it never
   * holds.
   */
  literals: Map<string, Set<number>>;
}

const ASCII = /^[\x00-\x7f]*$/;

function literalOf(test: Test): string | undefined {
  let text: string;
  let cased: boolean;
  if (test.t === 'str') {
    text = test.value;
    cased = test.cased === true;
  } else if (test.t === 'glob') {
    text = longestLiteral(test.pattern);
    cased = test.cased === true;
  } else if (test.t === 're' && typeof test.source === 'string') {
    const flags = test.flags ?? '';
    cased = !flags.includes('i');
    // Runs are lower-cased already with `i` (and only ASCII ones kept); without it, keep ASCII.
    text = '';
    for (const run of regexLiteralRuns(test.source, flags)) if (run.length > text.length && ASCII.test(run)) text = run;
  } else {
    return undefined;
  }
  if (typeof text !== 'string' || text === '') return undefined;
  const ascii = ASCII.test(text);
  if ((ascii && text.length < MIN_LITERAL) || (cased && !ascii)) return undefined;
  return text.toLowerCase();
}

function single(literal: string, fields: Iterable<number>): Requirement {
  return { literals: new Map([[literal, new Set(fields)]]) };
}

/** Higher is more selective. */
function score(r: Requirement): [number, number] {
  if (r.literals.size === 0) return [Infinity, 0];
  let shortest = Infinity;
  for (const l of r.literals.keys()) shortest = Math.min(shortest, l.length);
  return [shortest, -r.literals.size];
}

function better(a: Requirement, b: Requirement): boolean {
  const [a0, a1] = score(a);
  const [b0, b1] = score(b);
  return a0 > b0 || (a0 === b0 && a1 > b1);
}

/** The node's requirement, or null when it has none (see the module comment). */
export function requirementOf(node: Node, category: RuleCategory): Requirement | null {
  switch (node.op) {
    case 'field': {
      const f = fieldIdOf(node.field);
      if (f === undefined || isNumberField(f)) return null;
      const literal = literalOf(node.test);
      return literal === undefined ? null : single(literal, [f]);
    }
    case 'keyword': {
      const literal = literalOf(node.test);
      return literal === undefined ? null : single(literal, stringFieldsOf(category));
    }
    case 'and': {
      let best: Requirement | null = null;
      for (const arg of node.args) {
        const r = requirementOf(arg, category);
        if (r && (!best || better(r, best))) best = r;
      }
      return best;
    }
    case 'or': {
      const union = new Map<string, Set<number>>();
      for (const arg of node.args) {
        const r = requirementOf(arg, category);
        if (!r) return null;
        for (const [l, fields] of r.literals) {
          const into = union.get(l);
          if (into) for (const f of fields) into.add(f);
          else union.set(l, new Set(fields));
        }
      }
      return { literals: union };
    }
    case 'const':
      return node.value ? null : { literals: new Map() };
    default:
      return null;
  }
}

/** Up to this many requirements per rule are checked (the most selective ones). */
export const MAX_REQUIREMENTS = 3;
/** An OR whose distribution would yield more requirements than this takes its union instead. */
const MAX_PRODUCT = 16;

function union(a: Requirement, b: Requirement): Requirement {
  const literals = new Map<string, Set<number>>();
  for (const r of [a, b]) {
    for (const [l, fields] of r.literals) {
      const into = literals.get(l);
      if (into) for (const f of fields) into.add(f);
      else literals.set(l, new Set(fields));
    }
  }
  return { literals };
}

function mostSelective(all: Requirement[], max: number): Requirement[] {
  return all.sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0)).slice(0, max);
}

/**
 * Requirements of the node that must all be met (a CNF of literal sets, cut to the most
 * selective `MAX_REQUIREMENTS`): an AND has all its children's; an OR distributes over its
 * children's, (A and B) or C = (A or C) and (B or C), while that stays small, and is the
 * union of their single requirements beyond; any other node has its requirementOf. The
 * prefilter evaluates a rule only when all are met. On the SigmaHQ rules this leaves a third of
 * the candidates the single best requirement leaves: `image contains \windows\` alone selects
 * nine events in ten, `and the command line contains \..\` few. Empty: no requirement.
 */
export function requirementsOf(node: Node, category: RuleCategory): Requirement[] {
  if (node.op === 'and') return mostSelective(node.args.flatMap((arg) => requirementsOf(arg, category)), MAX_REQUIREMENTS);
  if (node.op !== 'or') {
    const r = requirementOf(node, category);
    return r ? [r] : [];
  }
  const children = node.args.map((arg) => requirementsOf(arg, category));
  if (children.some((c) => c.length === 0)) return [];
  const size = children.reduce((n, c) => n * c.length, 1);
  if (size > MAX_PRODUCT) {
    // Too many combinations: one requirement, the union of each child's most selective one.
    return [children.map((c) => c[0] as Requirement).reduce(union)];
  }
  let product: Requirement[] = [{ literals: new Map() }];
  for (const clauses of children) product = product.flatMap((p) => clauses.map((c) => union(p, c)));
  return mostSelective(product, MAX_REQUIREMENTS);
}
