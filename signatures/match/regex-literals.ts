/**
 * Literal runs a regular expression cannot match without: `-enc\w*\s+[a-z]` needs "-enc". The
 * matcher checks that the runs occur (in order) before running the expression, which spares the
 * regex engine (and its backtracking on long command lines) on nearly every event.
 *
 * The reader is deliberately conservative: it only reads the top level of the pattern, gives up
 * (no runs) on a top-level `|` and on escapes whose meaning depends on what follows (\x \u \c \k
 * \p), and treats groups, classes, `.`, assertions and other escapes as breaks between runs. A
 * character followed by `*`, `?` or `{0,…}` is optional and dropped; by `+` or `{n,…}` it ends
 * its run. With the `i` flag the runs are lower-cased, and runs that are not ASCII are dropped
 * (the caller then compares with the lower-cased field, where only ASCII folds predictably).
 */

const GIVE_UP_ESCAPES = 'xuckpP';
const QUANTIFIER = /^\{(\d+)(,\d*)?\}/;
const ASCII = /^[\x00-\x7f]*$/;

/** Index just past the group or class that starts at `i` (`(` or `[`); -1 when unclosed. */
export function skipBracketed(source: string, i: number): number {
  let depth = 0;
  let inClass = false;
  for (let j = i; j < source.length; j++) {
    const c = source[j];
    if (c === '\\') {
      j++;
    } else if (inClass) {
      if (c === ']') {
        inClass = false;
        if (depth === 0) return j + 1;
      }
    } else if (c === '[') {
      inClass = true;
    } else if (c === '(') {
      depth++;
    } else if (c === ')') {
      depth--;
      if (depth === 0) return j + 1;
    }
  }
  return -1;
}

/** The required literal runs of `source` (see the module comment); [] when none is known. */
export function regexLiteralRuns(source: string, flags: string): string[] {
  const runs: string[] = [];
  let run = '';
  const end = (): void => {
    if (run !== '') runs.push(run);
    run = '';
  };
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    let literal: string | undefined;
    if (c === '|') return [];
    if (c === '(' || c === '[') {
      const end = skipBracketed(source, i);
      i = end < 0 ? source.length : end;
    } else if (c === '\\') {
      const e = source[i + 1];
      if (e === undefined) return [];
      if (GIVE_UP_ESCAPES.includes(e)) return [];
      if (/[0-9A-Za-z]/.test(e)) {
        i += 2;
        while (/\d/.test(e) && i < source.length && /\d/.test(source[i] as string)) i++;
      } else {
        literal = e;
        i += 2;
      }
    } else if (c === '.' || c === '^' || c === '$') {
      i++;
    } else if (c === '*' || c === '+' || c === '?' || (c === '{' && QUANTIFIER.test(source.slice(i)))) {
      // A quantifier after a break (group, class, ...): nothing to drop.
      i += c === '{' ? (QUANTIFIER.exec(source.slice(i)) as RegExpExecArray)[0].length : 1;
      if (source[i] === '?') i++;
      end();
      continue;
    } else {
      literal = c;
      i++;
    }
    if (literal === undefined) {
      end();
      continue;
    }
    // What follows a literal character decides whether it is required.
    const q = source[i];
    const counted = q === '{' ? QUANTIFIER.exec(source.slice(i)) : null;
    if (q === '*' || q === '?' || (counted && Number(counted[1]) === 0)) {
      end();
    } else if (q === '+' || counted) {
      run += literal;
      end();
    } else {
      run += literal;
      continue;
    }
    i += counted ? counted[0].length : 1;
    if (source[i] === '?') i++;
  }
  end();
  if (!flags.includes('i')) return runs;
  return runs.filter((r) => ASCII.test(r)).map((r) => r.toLowerCase());
}

/**
 * A cheap necessary condition for the regex to match, or undefined when none is known: its runs
 * occur in `s` in pattern order without overlapping (top-level elements match consecutive spans).
 * `\+.*\+.*\+` then costs three `indexOf` instead of a backtracking search.
 */
export function regexGuard(source: string, flags: string): ((s: string) => boolean) | undefined {
  return guardOf(regexLiteralRuns(source, flags));
}

/**
 * With the `i` flag, the part of `regexGuard` that holds on the raw value: the runs without a
 * letter (`${` of `\$\{`?e`?n`?v`), which lower-casing leaves as they are (no character
 * lower-cases to an ASCII one that is not a letter). A rule evaluated on every event then
 * lower-cases the value only when they occur. Undefined without the flag or such runs.
 */
export function regexRawGuard(source: string, flags: string): ((s: string) => boolean) | undefined {
  if (!flags.includes('i')) return undefined;
  return guardOf(regexLiteralRuns(source, flags).filter((run) => /^[^A-Za-z]+$/.test(run)));
}

function guardOf(runs: readonly string[]): ((s: string) => boolean) | undefined {
  if (runs.length === 0) return undefined;
  if (runs.length === 1) {
    const only = runs[0] as string;
    return (s) => s.includes(only);
  }
  return (s) => inOrder(s, runs);
}

const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;
const PLAIN = /[^\\^$.|?*+()[\]{}]/;

/**
 * The runs of a pattern made only of literal runs joined by `.*` (`\+.*\+.*\+`), or undefined.
 * Such a pattern holds iff its runs occur in order within one line (`.` stops at line ends
 * unless the `s` flag is set); taking each run's earliest occurrence is then optimal, so
 * `indexOf` decides it in linear time, where the backtracking engine can take seconds on a long
 * command line that holds most but not all of the runs.
 */
export function dotStarRuns(source: string): string[] | undefined {
  const runs: string[] = [];
  let run = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (c === '.' && source[i + 1] === '*') {
      if (run !== '') runs.push(run);
      run = '';
      i += source[i + 2] === '?' ? 3 : 2;
    } else if (c === '\\') {
      const e = source[i + 1];
      if (e === undefined || /[0-9A-Za-z]/.test(e)) return undefined;
      run += e;
      i += 2;
    } else if (PLAIN.test(c)) {
      run += c;
      i++;
    } else {
      return undefined;
    }
  }
  if (run !== '') runs.push(run);
  return runs;
}

/** LINE_TERMINATOR.test, a third of its time: `includes` of one character is a memchr. */
function hasLineTerminator(s: string): boolean {
  return s.includes('\n') || s.includes('\r') || s.includes('\u2028') || s.includes('\u2029');
}

function inOrder(s: string, runs: readonly string[]): boolean {
  let at = 0;
  for (let i = 0; i < runs.length; i++) {
    const run = runs[i] as string;
    const found = s.indexOf(run, at);
    if (found < 0) return false;
    at = found + run.length;
  }
  return true;
}

/**
 * An exact linear-time replacement for `new RegExp(source, flags).test`, for the patterns
 * `dotStarRuns` accepts; undefined for the others. Not with the `i` flag when a run has letters:
 * lower-casing is not the regex engine's case folding (the Kelvin sign lower-cases to "k").
 */
export function linearRegex(source: string, flags: string): ((s: string) => boolean) | undefined {
  const runs = dotStarRuns(source);
  if (runs === undefined || (flags.includes('i') && runs.some((r) => /[a-z]/i.test(r)))) return undefined;
  if (flags.includes('s')) return (s) => inOrder(s, runs);
  return (s) => {
    if (!hasLineTerminator(s)) return inOrder(s, runs);
    for (const line of s.split(LINE_TERMINATOR)) if (inOrder(line, runs)) return true;
    return false;
  };
}
