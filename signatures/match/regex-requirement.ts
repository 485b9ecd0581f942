/**
 * What a regular expression needs to match, from its top-level atoms (regex-atoms.ts):
 *
 * - `regexAlternatives`: strings one of which any match contains, for the prefilter
 *   (requirements.ts). A run of atoms that each match once gives the product of their
 *   alternatives: `\.[ "']` needs one of `. `, `."`, `.'`; `-(W|R)` one of `-W`, `-R`. Literal
 *   runs alone (regex-literals.ts) found nothing there, and such rules ran on every event.
 * - `regexShapeGuard`: a test of the raw value before the regex engine runs, for patterns a
 *   literal cannot gate: the value is at least as long as the shortest match (`.{1000,}`), and
 *   holds a long enough run of a repeated class (`\s[a-fA-F0-9]{64}\s` needs 64 hex digits in a
 *   row, checked at every 64th character instead of at every whitespace by the regex engine).
 */
import type { Atom } from './regex-atoms.js';
import { regexAtoms } from './regex-atoms.js';

/** A run's alternatives beyond this many are not multiplied further (the run ends there). */
const MAX_PRODUCT = 16;
/** Class runs shorter than this are not checked: the regex engine is about as fast. */
const MIN_GUARD_RUN = 8;
const ASCII = /^[\x00-\x7f]*$/;

/** Higher is more selective: the shortest alternative's length, then fewer alternatives. */
function better(a: readonly string[], b: readonly string[]): boolean {
  const la = Math.min(...a.map((s) => s.length));
  const lb = Math.min(...b.map((s) => s.length));
  return la > lb || (la === lb && a.length < b.length);
}

/**
 * The most selective set of strings one of which every match of the regex contains, as written
 * (not case-folded; ASCII only: the prefilter lower-cases them), or undefined when none is
 * known. `accept` says whether a set is worth requiring (long enough strings).
 */
export function regexAlternatives(source: string, flags: string, accept: (set: readonly string[]) => boolean): string[] | undefined {
  const atoms = regexAtoms(source, flags);
  if (atoms === undefined) return undefined;
  let best: string[] | undefined;
  let run: string[] = [''];
  const end = (): void => {
    const set = [...new Set(run)];
    // A set holding '' requires nothing (an empty run, or an empty group alternative).
    if (!set.includes('') && accept(set) && (best === undefined || better(set, best))) best = set;
    run = [''];
  };
  for (const atom of atoms) {
    const alternatives = atom.alternatives?.every((s) => ASCII.test(s)) ? atom.alternatives : undefined;
    if (atom.min === 0 || alternatives === undefined) {
      end();
      continue;
    }
    if (run.length * alternatives.length > MAX_PRODUCT) end();
    run = run.flatMap((prefix) => alternatives.map((s) => prefix + s));
    if (atom.max !== 1 || atom.min !== 1) {
      // Repeated: its first repetition ends this run, its last one begins the next.
      end();
      run = [...alternatives];
    }
  }
  end();
  return best;
}

/** Length of the shortest string the atoms can match (a lower bound). */
function minLength(atoms: readonly Atom[]): number {
  let n = 0;
  for (const a of atoms) n += a.width * a.min;
  return n;
}

function member(ascii: Uint8Array, beyondAscii: boolean, c: number): boolean {
  return c < 128 ? ascii[c] === 1 : beyondAscii;
}

/** Classes missing at most this many ASCII characters are tested by searching for those. */
const SPARSE_BREAKS = 4;

/**
 * A test of whether a string holds `n` characters in a row of the class `ascii` / `beyondAscii`.
 * A run of n characters covers exactly one position p with p % n === n - 1: the test looks at
 * those and measures the run around each that is in the class. For a class missing only a few
 * ASCII characters (`.` misses the line ends) that would measure long runs character by
 * character; there the characters it misses are searched for instead (characters beyond ASCII
 * count as in the class: a longer run, a test that holds more often, never one that fails
 * wrongly).
 */
export function classRunTest(ascii: Uint8Array, beyondAscii: boolean, n: number): (s: string) => boolean {
  const missing: string[] = [];
  for (let c = 0; c < 128; c++) if (ascii[c] !== 1) missing.push(String.fromCharCode(c));
  if (beyondAscii && missing.length <= SPARSE_BREAKS) return (s) => hasGap(s, missing, n);
  return (s) => hasRun(s, ascii, beyondAscii, n);
}

function hasRun(s: string, ascii: Uint8Array, beyondAscii: boolean, n: number): boolean {
  const len = s.length;
  for (let p = n - 1; p < len; p += n) {
    if (!member(ascii, beyondAscii, s.charCodeAt(p))) continue;
    let from = p;
    while (from > 0 && p - from < n && member(ascii, beyondAscii, s.charCodeAt(from - 1))) from--;
    let to = p;
    while (to + 1 < len && to - from + 1 < n && member(ascii, beyondAscii, s.charCodeAt(to + 1))) to++;
    if (to - from + 1 >= n) return true;
  }
  return false;
}

/** Whether `s` has `n` characters in a row none of which is in `breaks`. */
function hasGap(s: string, breaks: readonly string[], n: number): boolean {
  const len = s.length;
  if (len < n) return false;
  // The next occurrence of each break character at or after `from` (len: none).
  const next = breaks.map((b) => {
    const at = s.indexOf(b);
    return at < 0 ? len : at;
  });
  for (let from = 0; ; ) {
    let stop = len;
    for (let b = 0; b < next.length; b++) {
      if ((next[b] as number) < from) {
        const at = s.indexOf(breaks[b] as string, from);
        next[b] = at < 0 ? len : at;
      }
      stop = Math.min(stop, next[b] as number);
    }
    if (stop - from >= n) return true;
    if (stop === len) return false;
    from = stop + 1;
  }
}

/**
 * The longest run of one class the regex needs, `min` characters or more (`[a-fA-F0-9]{64}`:
 * 64 hex digits in a row), or undefined: a requirement for a regex without a usable literal.
 */
export function regexClassRun(source: string, flags: string, min: number): { ascii: Uint8Array; beyondAscii: boolean; length: number } | undefined {
  const atoms = regexAtoms(source, flags);
  let longest: Atom | undefined;
  for (const a of atoms ?? []) if (a.ascii !== undefined && a.min >= min && (!longest || a.min > longest.min)) longest = a;
  return longest && { ascii: longest.ascii as Uint8Array, beyondAscii: longest.beyondAscii, length: longest.min };
}

/** The shape test of the regex (see the module comment), or undefined when it checks nothing. */
export function regexShapeGuard(source: string, flags: string): ((s: string) => boolean) | undefined {
  const atoms = regexAtoms(source, flags);
  if (atoms === undefined) return undefined;
  const shortest = minLength(atoms);
  let longest: Atom | undefined;
  for (const a of atoms) if (a.ascii !== undefined && a.min >= MIN_GUARD_RUN && (!longest || a.min > longest.min)) longest = a;
  if (longest === undefined) return shortest > 1 ? (s) => s.length >= shortest : undefined;
  const hasClassRun = classRunTest(longest.ascii as Uint8Array, longest.beyondAscii, longest.min);
  return (s) => s.length >= shortest && hasClassRun(s);
}
