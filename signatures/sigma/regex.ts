/**
 * Sigma `|re` values are written for Python's `re` (pySigma validates them with it); the matcher
 * runs JavaScript regular expressions. This module translates the Python-only syntax that has an
 * exact JavaScript equivalent and rejects what would otherwise compile to something different:
 *
 * - leading global flags `(?i)`, `(?m)`, `(?s)` (also combined, `(?is)`) -> JS flags;
 * - `(?P<name>...)` -> `(?<name>...)`, `(?P=name)` -> `\k<name>`, `(?#comment)` dropped;
 * - `\A` and `\Z` -> start/end of input assertions, `\a` -> `\x07`, `{,n}` -> `{0,n}`;
 * - other letter escapes that JavaScript would read as a plain letter are rejected, as are
 *   verbose mode and anything `new RegExp` refuses (atomic groups, possessive quantifiers,
 *   scoped flags, conditionals).
 */

export type RegexResult = { ok: true; source: string; flags: string } | { ok: false; message: string };

/** Escapes that mean the same in Python and in JavaScript (without the `u` flag). */
const SHARED_ESCAPES = new Set('bBdDsSwWfnrtvxu0123456789'.split(''));
const INPUT_START = '(?<![\\s\\S])';
const INPUT_END = '(?![\\s\\S])';

export function translateRegex(pattern: string, modifierFlags: string): RegexResult {
  const flags = new Set(modifierFlags.split('').filter((f) => f !== ''));
  let rest = pattern;
  for (let m = /^\(\?([aiLmsux]+)\)/.exec(rest); m !== null; m = /^\(\?([aiLmsux]+)\)/.exec(rest)) {
    for (const f of m[1] ?? '') {
      if (f === 'i' || f === 'm' || f === 's') flags.add(f);
      else if (f === 'x') return { ok: false, message: 'verbose regular expressions (?x) are not supported' };
      else if (f === 'L') return { ok: false, message: 'locale-dependent regular expressions (?L) are not supported' };
      // a (ASCII) and u (Unicode) only change \w, \d and \s on non-ASCII text: accepted as they are.
    }
    rest = rest.slice(m[0].length);
  }
  const translated = translateBody(rest);
  if (!translated.ok) return translated;
  const flagString = ['i', 'm', 's'].filter((f) => flags.has(f)).join('');
  try {
    new RegExp(translated.source, flagString);
  } catch (err) {
    return { ok: false, message: `invalid regular expression /${pattern}/: ${(err as Error).message}` };
  }
  return { ok: true, source: translated.source, flags: flagString };
}

function translateBody(src: string): { ok: true; source: string } | { ok: false; message: string } {
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i] as string;
    if (c === '\\') {
      const next = src[i + 1];
      if (next === undefined) return { ok: false, message: 'regular expression ends with a lone backslash' };
      i++;
      if (!/[A-Za-z]/.test(next) || SHARED_ESCAPES.has(next)) {
        out += c + next;
      } else if (next === 'a') {
        out += '\\x07';
      } else if (!inClass && next === 'A') {
        out += INPUT_START;
      } else if (!inClass && (next === 'Z' || next === 'z')) {
        out += INPUT_END;
      } else {
        return { ok: false, message: `regular expression escape \\${next} has no JavaScript equivalent` };
      }
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      // A `]` right after `[` or `[^` is a literal in Python; JavaScript needs it escaped.
      if (src[i + 1] === '^') {
        out += '^';
        i++;
      }
      if (src[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (src.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
      continue;
    }
    const backref = /^\(\?P=(\w+)\)/.exec(src.slice(i));
    if (backref !== null) {
      out += `\\k<${backref[1] ?? ''}>`;
      i += backref[0].length - 1;
      continue;
    }
    if (src.startsWith('(?#', i)) {
      const end = src.indexOf(')', i);
      if (end < 0) return { ok: false, message: 'unterminated (?# comment in regular expression' };
      i = end;
      continue;
    }
    const openQuantifier = /^\{,(\d+)\}/.exec(src.slice(i));
    if (openQuantifier !== null && i > 0) {
      out += `{0,${openQuantifier[1] ?? ''}}`;
      i += openQuantifier[0].length - 1;
      continue;
    }
    out += c;
  }
  return { ok: true, source: out };
}
