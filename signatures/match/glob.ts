/**
 * Sigma wildcards: `*` (any run of characters, newlines included) and `?` (one character). The
 * compiler has already resolved Sigma's escapes, so every `*` and `?` in a pattern is a wildcard
 * and every other character stands for itself.
 *
 * A pattern with `*` only (most Sigma globs: `* -e* jab*`) is matched without the regex engine:
 * its first segment must start the text, its last end it, and the middle ones occur in order in
 * between; taking each middle segment's leftmost occurrence is optimal, so `indexOf` decides it
 * in linear time where a backtracking `^.* -e.* jab.*$` is quadratic on a long command line.
 */

const REGEX_SPECIAL = /[\\^$.|+()[\]{}/-]/g;

/** An anchored RegExp equivalent to `pattern`, built once. `s`: `*` and `?` match newlines too. */
export function globToRegExp(pattern: string): RegExp {
  let body = '';
  let lastStar = false;
  for (const ch of pattern) {
    if (ch === '*') {
      // Consecutive stars mean one: `.*.*` only adds backtracking.
      if (!lastStar) body += '.*';
      lastStar = true;
      continue;
    }
    lastStar = false;
    body += ch === '?' ? '.' : ch.replace(REGEX_SPECIAL, '\\$&');
  }
  return new RegExp(`^${body}$`, 's');
}

/** A predicate equivalent to `globToRegExp(pattern).test`, without the regex engine for `*`-only patterns. */
export function globMatcher(pattern: string): (s: string) => boolean {
  if (pattern.includes('?')) {
    const re = globToRegExp(pattern);
    return (s) => re.test(s);
  }
  const segments = pattern.split('*');
  if (segments.length === 1) return (s) => s === pattern;
  const first = segments[0] as string;
  const last = segments[segments.length - 1] as string;
  const middle = segments.slice(1, -1).filter((x) => x !== '');
  const fixed = first.length + last.length;
  return (s) => {
    if (s.length < fixed || !s.startsWith(first) || !s.endsWith(last)) return false;
    let at = first.length;
    const end = s.length - last.length;
    for (let i = 0; i < middle.length; i++) {
      const m = middle[i] as string;
      const found = s.indexOf(m, at);
      if (found < 0 || found + m.length > end) return false;
      at = found + m.length;
    }
    return true;
  };
}

/** The longest run of literal characters between wildcards (what the prefilter can look for). */
export function longestLiteral(pattern: string): string {
  let best = '';
  for (const run of pattern.split(/[*?]/)) if (run.length > best.length) best = run;
  return best;
}
