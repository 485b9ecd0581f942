/**
 * One IR Test on one field -> a predicate over an EventView, built once. Case-insensitive string
 * tests compare the lower-cased field value (cached by the view) with a value lower-cased here;
 * `cased` tests and regular expressions read the raw value.
 *
 * Which tests a field takes: string fields take every test (`num` parses the string as a number,
 * `cidr` as an address); number fields take `num`, `exists`, `empty` and `fieldref` only: a string
 * or address test on a number is a compiler bug, reported rather than silently never matching.
 *
 * Where the obvious predicate is slow on SigmaHQ's rules and events, an equivalent one is built:
 * regexes are guarded by their required literals (regex-literals.ts) or, for `a.*b.*c`, replaced
 * by `indexOf`; `*`-only globs use `indexOf` (glob.ts); long `contains` lists use one automaton.
 */
import type { EventView } from '../fields/event-view.js';
import { FIELD_NAMES, fieldIdOf, isNumberField } from '../fields/event-view.js';
import type { StringMode, Test } from '../ir.js';
import { buildAutomaton } from './automaton/index.js';
import { cidrMatcher, parseCidr } from './cidr.js';
import { globMatcher } from './glob.js';
import { linearRegex, regexGuard, regexRawGuard } from './regex-literals.js';
import { regexShapeGuard } from './regex-requirement.js';

export type Pred = (v: EventView) => boolean;

export const NEVER: Pred = () => false;
export const ALWAYS: Pred = () => true;

const STRING_MODES: readonly string[] = ['eq', 'contains', 'startswith', 'endswith'];
const REGEX_FLAGS = /^[ims]*$/;

/** Where a test's problems go: one message each, the caller adds the rule's location. */
export type Report = (message: string) => void;

type Read = (v: EventView) => string;

function reader(f: number, cased: boolean): Read {
  return cased ? (v) => v.raw(f) : (v) => v.lower(f);
}

/** A string comparison of field `f` with a constant. */
export function strPred(f: number, mode: StringMode, value: string, cased: boolean): Pred {
  const want = cased ? value : value.toLowerCase();
  if (cased) {
    switch (mode) {
      case 'eq': return (v) => v.raw(f) === want;
      case 'contains': return (v) => v.raw(f).includes(want);
      case 'startswith': return (v) => v.raw(f).startsWith(want);
      default: return (v) => v.raw(f).endsWith(want);
    }
  }
  switch (mode) {
    case 'eq': return (v) => v.lower(f) === want;
    case 'contains': return (v) => v.lower(f).includes(want);
    case 'startswith': return (v) => v.lower(f).startsWith(want);
    default: return (v) => v.lower(f).endsWith(want);
  }
}

/** Values of several string tests on one field, by mode (an OR of them: Sigma's value lists). */
export interface StrAlternatives {
  eq: string[];
  contains: string[];
  startswith: string[];
  endswith: string[];
}

/** From this many `contains` values on, one automaton pass beats one `includes` per value. */
const AUTOMATON_MIN_VALUES = 8;
const NON_ASCII = /[^\x00-\x7f]/;

type Includes = (s: string, v: EventView) => boolean;

/**
 * Whether any of `values` occurs in `s` (field `f`'s value, lower-cased unless `cased`):
 * `includes` in a loop, or one automaton pass for long lists.
 */
function anyIncluded(values: readonly string[], f: number, cased: boolean): Includes {
  if (values.includes('')) return () => true;
  if (values.length < AUTOMATON_MIN_VALUES) {
    return (s) => {
      for (let i = 0; i < values.length; i++) if (s.includes(values[i] as string)) return true;
      return false;
    };
  }
  const automaton = buildAutomaton(new Map(values.map((x) => [x, [0]])));
  // Lists of emoji, lookalike letters or Unicode dashes: most text has no non-ASCII character at
  // all, which the view answers once per event for all of them.
  if (!values.every((x) => NON_ASCII.test(x))) return (s) => automaton.test(s);
  if (cased) return (s) => NON_ASCII.test(s) && automaton.test(s);
  return (s, v) => v.lowerHasNonAscii(f) && automaton.test(s);
}

/**
 * Whether `s` ends with one of `values`. Sigma's commonest list, `Image|endswith: ['\\a.exe',
 * ...]`, holds path tails: a value that starts with a separator and has no other one ends `s`
 * exactly when it is `s` from its last separator on, so one Set lookup replaces the loop.
 */
function anyEnding(values: readonly string[]): ((s: string) => boolean) | undefined {
  const tails = new Map<string, Set<string>>();
  const rest: string[] = [];
  for (const v of values) {
    const sep = v[0];
    if (v.length > 1 && (sep === '\\' || sep === '/') && v.indexOf(sep, 1) < 0) {
      let set = tails.get(sep);
      if (!set) tails.set(sep, (set = new Set()));
      set.add(v);
    } else {
      rest.push(v);
    }
  }
  const bySep = [...tails].map(([sep, set]) => ({ sep, set }));
  if (bySep.length === 0 && rest.length === 0) return undefined;
  return (s) => {
    for (let i = 0; i < bySep.length; i++) {
      const { sep, set } = bySep[i] as { sep: string; set: Set<string> };
      const at = s.lastIndexOf(sep);
      if (at >= 0 && set.has(at === 0 ? s : s.slice(at))) return true;
    }
    for (let i = 0; i < rest.length; i++) if (s.endsWith(rest[i] as string)) return true;
    return false;
  };
}

/** One predicate for an OR of string tests on one field with the same case sensitivity. */
export function strAnyPred(f: number, cased: boolean, alt: StrAlternatives): Pred {
  const norm = (xs: string[]): string[] => [...new Set(cased ? xs : xs.map((x) => x.toLowerCase()))];
  const eq = new Set(norm(alt.eq));
  const contains = norm(alt.contains);
  const anyContained = contains.length === 0 ? undefined : anyIncluded(contains, f, cased);
  const starts = norm(alt.startswith);
  const anyEnded = anyEnding(norm(alt.endswith));
  const read = reader(f, cased);
  return (v) => {
    const s = read(v);
    if (eq.size !== 0 && eq.has(s)) return true;
    for (let i = 0; i < starts.length; i++) if (s.startsWith(starts[i] as string)) return true;
    if (anyEnded !== undefined && anyEnded(s)) return true;
    return anyContained !== undefined && anyContained(s, v);
  };
}

function numPred(f: number, cmp: string, value: number): Pred | string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return `num test value ${String(value)} is not a finite number`;
  const read = isNumberField(f)
    ? (v: EventView) => v.num(f)
    : (v: EventView) => {
        // A string field holding a number ("4", " 0x10 "); anything else is not a number.
        const s = v.raw(f).trim();
        return s === '' ? NaN : Number(s);
      };
  switch (cmp) {
    case 'eq': return (v) => read(v) === value;
    case 'gt': return (v) => read(v) > value;
    case 'gte': return (v) => read(v) >= value;
    case 'lt': return (v) => read(v) < value;
    case 'lte': return (v) => read(v) <= value;
    default: return `unknown num comparison "${cmp}"`;
  }
}

function present(f: number): Pred {
  return isNumberField(f) ? (v) => !Number.isNaN(v.num(f)) : (v) => v.raw(f) !== '';
}

function fieldrefPred(f: number, otherName: string, mode: StringMode, cased: boolean): Pred | string {
  const other = fieldIdOf(otherName);
  if (other === undefined) return `fieldref names unknown field "${otherName}"`;
  if (!STRING_MODES.includes(mode)) return `unknown fieldref mode "${mode}"`;
  const a = reader(f, cased);
  const b = reader(other, cased);
  // An absent field is equal to nothing, as in Sigma backends (NULL = NULL is not true).
  if (mode === 'eq' && !cased) {
    // Lower-casing keeps a string's length but for "İ" (two units): values of other lengths
    // differ without being lower-cased (a rule evaluated on every event compares two images).
    return (v) => {
      const x = v.raw(f);
      const y = v.raw(other);
      if (y === '' || (x.length !== y.length && !x.includes('\u0130') && !y.includes('\u0130'))) return false;
      return a(v) === b(v);
    };
  }
  switch (mode) {
    case 'eq': return (v) => { const y = b(v); return y !== '' && a(v) === y; };
    case 'contains': return (v) => { const y = b(v); return y !== '' && a(v).includes(y); };
    case 'startswith': return (v) => { const y = b(v); return y !== '' && a(v).startsWith(y); };
    default: return (v) => { const y = b(v); return y !== '' && a(v).endsWith(y); };
  }
}

/**
 * Compiles `test` on field id `f`; a string is the problem with it. The `str`, `glob` and `re`
 * predicates of string fields are what keywords reuse (compile-node.ts).
 */
export function compileTest(f: number, test: Test): Pred | string {
  const numberField = isNumberField(f);
  const wrongType = (): string => `a ${test.t} test cannot apply to number field ${FIELD_NAMES[f] ?? f}`;
  switch (test.t) {
    case 'str':
      if (numberField) return wrongType();
      if (!STRING_MODES.includes(test.mode)) return `unknown string mode "${test.mode}"`;
      if (typeof test.value !== 'string') return 'str test value is not a string';
      return strPred(f, test.mode, test.value, test.cased === true);
    case 'glob': {
      if (numberField) return wrongType();
      if (typeof test.pattern !== 'string') return 'glob pattern is not a string';
      const cased = test.cased === true;
      const matches = globMatcher(cased ? test.pattern : test.pattern.toLowerCase());
      return cased ? (v) => matches(v.raw(f)) : (v) => matches(v.lower(f));
    }
    case 're': {
      if (numberField) return wrongType();
      const flags = test.flags ?? '';
      if (!REGEX_FLAGS.test(flags)) return `regex flags "${flags}" are not a subset of "ims"`;
      let re: RegExp;
      try {
        re = new RegExp(test.source, flags);
      } catch (err) {
        return `invalid regex /${test.source}/${flags}: ${(err as Error).message}`;
      }
      const linear = linearRegex(test.source, flags);
      if (linear !== undefined) return (v) => linear(v.raw(f));
      // Values too short, or without the run of a class it repeats, spare the regex engine too.
      const shape = regexShapeGuard(test.source, flags);
      const matches = shape === undefined ? (s: string) => re.test(s) : (s: string) => shape(s) && re.test(s);
      // Most events lack the expression's literals: a few `indexOf` spare the regex engine.
      const guard = regexGuard(test.source, flags);
      if (guard === undefined) return (v) => matches(v.raw(f));
      const rawGuard = regexRawGuard(test.source, flags);
      if (rawGuard !== undefined) return (v) => rawGuard(v.raw(f)) && guard(v.lower(f)) && matches(v.raw(f));
      if (flags.includes('i')) return (v) => guard(v.lower(f)) && matches(v.raw(f));
      return (v) => {
        const s = v.raw(f);
        return guard(s) && matches(s);
      };
    }
    case 'cidr': {
      if (numberField) return wrongType();
      const cidr = typeof test.cidr === 'string' ? parseCidr(test.cidr) : undefined;
      if (!cidr) return `invalid cidr "${String(test.cidr)}"`;
      const inNetwork = cidrMatcher(cidr);
      return (v) => inNetwork(v.raw(f));
    }
    case 'num':
      return numPred(f, test.cmp, test.value);
    case 'exists': {
      const has = present(f);
      return test.value === false ? (v) => !has(v) : has;
    }
    case 'empty': {
      const has = present(f);
      return (v) => !has(v);
    }
    case 'fieldref':
      return fieldrefPred(f, test.other, test.mode, test.cased === true);
    default:
      return `unknown test type "${(test as { t?: unknown }).t}"`;
  }
}
