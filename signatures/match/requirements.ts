/**
 * Required literals: for a rule's condition, a set of lower-cased strings at least one of which
 * must occur in the event's lower-cased string fields for the condition to possibly hold. The
 * prefilter (prefilter.ts) looks for all of a category's literals in one pass and evaluates only
 * the rules whose literal it found, plus the rules that have no requirement.
 *
 * - str test: its value; glob: its longest literal run; re: the most selective set of strings
 *   one of which it needs (regex-requirement.ts: a literal run, or `. ` / `."` / `.'` for
 *   `\.[ "']`), and without one, a run of one class it repeats (`[a-fA-F0-9]{64}`: 64 hex
 *   digits in a row, looked for in the raw value). Case-sensitive values (`cased`, a regex
 *   without `i`) are lower-cased too (the prefilter reads lower-cased text) when they are ASCII:
 *   lower-casing an ASCII character never depends on its neighbours, while Unicode's final sigma
 *   does.
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
import { regexAlternatives, regexClassRun } from './regex-requirement.js';

export const MIN_LITERAL = 2;

/**
 * `length` characters in a row that one repeated class of a regex matches (`[a-fA-F0-9]{64}`),
 * in the raw value of field `field`: for a regex without a usable literal.
 */
export interface ClassRun {
  field: number;
  /** The class's ASCII characters (128 entries), and whether it matches any beyond. */
  ascii: Uint8Array;
  beyondAscii: boolean;
  length: number;
}

export interface Requirement {
  /**
   * Lower-cased literal -> the field ids it was taken from (where the prefilter looks for it).
   * At least one literal occurs in its fields, or one of `runs`, in any event the node holds on.
   * Neither: it never holds.
   */
  literals: Map<string, Set<number>>;
  runs?: ClassRun[];
}

/** Regex class runs shorter than this are no requirement: a run of 12 hex digits is in a GUID. */
export const MIN_CLASS_RUN = 16;

const ASCII = /^[\x00-\x7f]*$/;

/** Whether `text` (as written) can be a required literal; see the module comment. */
function usable(text: string, cased: boolean): boolean {
  const ascii = ASCII.test(text);
  return text !== '' && !(ascii && text.length < MIN_LITERAL) && !(cased && !ascii);
}

/** The literals (lower-cased) one of which the test needs, or undefined when none is known. */
function literalsOf(test: Test): string[] | undefined {
  let text: string;
  let cased: boolean;
  if (test.t === 'str') {
    text = test.value;
    cased = test.cased === true;
  } else if (test.t === 'glob') {
    text = longestLiteral(test.pattern);
    cased = test.cased === true;
  } else if (test.t === 're' && typeof test.source === 'string') {
    // ASCII alternatives only: without `i` the regex is case-sensitive, and lower-casing ASCII
    // is exact; with it, the prefilter's folding is ASCII's.
    const set = regexAlternatives(test.source, test.flags ?? '', (xs) => xs.every((x) => usable(x, false)));
    return set?.map((x) => x.toLowerCase());
  } else {
    return undefined;
  }
  if (typeof text !== 'string' || !usable(text, cased)) return undefined;
  return [text.toLowerCase()];
}

function required(literals: readonly string[], fields: Iterable<number>): Requirement {
  const set = [...fields];
  return { literals: new Map(literals.map((l) => [l, new Set(set)])) };
}

/** Higher is more selective. */
function score(r: Requirement): [number, number] {
  const runs = r.runs ?? [];
  if (r.literals.size === 0 && runs.length === 0) return [Infinity, 0];
  let shortest = Infinity;
  for (const l of r.literals.keys()) shortest = Math.min(shortest, l.length);
  for (const run of runs) shortest = Math.min(shortest, run.length);
  return [shortest, -(r.literals.size + runs.length)];
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
      const literals = literalsOf(node.test);
      if (literals !== undefined) return required(literals, [f]);
      const run = node.test.t === 're' && typeof node.test.source === 'string' ? regexClassRun(node.test.source, node.test.flags ?? '', MIN_CLASS_RUN) : undefined;
      return run === undefined ? null : { literals: new Map(), runs: [{ field: f, ...run }] };
    }
    case 'keyword': {
      const literals = literalsOf(node.test);
      return literals === undefined ? null : required(literals, stringFieldsOf(category));
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
      let all: Requirement = { literals: new Map() };
      for (const arg of node.args) {
        const r = requirementOf(arg, category);
        if (!r) return null;
        all = union(all, r);
      }
      return all;
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
  const runs = [...(a.runs ?? []), ...(b.runs ?? [])];
  return runs.length === 0 ? { literals } : { literals, runs };
}

function mostSelective(all: Requirement[], max: number): Requirement[] {
  return all.sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0)).slice(0, max);
}

/**
 * Requirements of the node that must all be met (a CNF of literal sets, cut to the most
 * selective `MAX_REQUIREMENTS`): an AND has all its children's; an OR distributes over its
 * children's, (A and B) or C = (A or C) and (B or C), while that stays small, and beyond it
 * the unions of the children's k-th requirements; any other node has its requirementOf. The
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
    // Too many combinations. Each child implies each of its own requirements, so the OR implies
    // the union of any one requirement per child: the union of the children's most selective,
    // of their second (or most selective when a child has one), of their third.
    const depth = Math.max(...children.map((c) => c.length));
    const unions: Requirement[] = [];
    for (let k = 0; k < depth; k++) unions.push(children.map((c) => (c[k] ?? c[0]) as Requirement).reduce(union));
    return unions;
  }
  let product: Requirement[] = [{ literals: new Map() }];
  for (const clauses of children) product = product.flatMap((p) => clauses.map((c) => union(p, c)));
  return mostSelective(product, MAX_REQUIREMENTS);
}
