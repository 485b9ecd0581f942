/**
 * The top level of a regular expression as a sequence of atoms, each with its repetition count,
 * for cheap necessary conditions of a match (regex-requirement.ts): the alternatives a small
 * class or group of literals stands for (`[ "']`, `(W|R)`), the ASCII characters of a class
 * (`[a-fA-F0-9]{64}` needs 64 hex digits in a row), and the length of the shortest match.
 *
 * Conservative like regex-literals.ts: no atoms (undefined) for a top-level `|` or an escape whose
 * meaning depends on what follows (\x \u \c \k \p); a group that is not plain literal
 * alternatives counts as "something of length 0 or more"; an assertion (^ $ \b, lookaround) as
 * nothing. JavaScript without the `u` flag (Sigma's flags are i, m, s): case-insensitive
 * matching never maps a character beyond ASCII to one within it, or the other way round.
 */
import { skipBracketed } from './regex-literals.js';

export interface Atom {
  /**
   * The strings one repetition matches, when known and few (a character, a small class, a group
   * of plain literal alternatives), as written (not case-folded); undefined otherwise.
   */
  alternatives: string[] | undefined;
  /**
   * When one repetition is one character: which ASCII characters it matches (128 entries, case
   * folded with the `i` flag), and whether it may match characters beyond ASCII.
   */
  ascii: Uint8Array | undefined;
  beyondAscii: boolean;
  /** Length of the shortest repetition (0 for assertions and groups read as unknown). */
  width: number;
  /** Repetitions: at least `min`, at most `max` (Infinity when unbounded). */
  min: number;
  max: number;
}

const GIVE_UP_ESCAPES = 'xuckpP';
const QUANTIFIER = /^\{(\d+)(?:(,)(\d*))?\}/;
/** Alternatives of a class or group beyond this many are not listed. */
const MAX_ALTERNATIVES = 4;
const PLAIN = /^(?:[^\\^$.|?*+()[\]{}]|\\[^0-9A-Za-z])*$/;

function charSet(test: (c: number) => boolean): Uint8Array {
  const set = new Uint8Array(128);
  for (let c = 0; c < 128; c++) set[c] = test(c) ? 1 : 0;
  return set;
}

const DIGIT = charSet((c) => c >= 48 && c <= 57);
const WORD = charSet((c) => /\w/.test(String.fromCharCode(c)));
const SPACE = charSet((c) => /\s/.test(String.fromCharCode(c)));
const NOT_LINE_END = charSet((c) => c !== 10 && c !== 13);
const ALL = charSet(() => true);

/** One-character atom of a class escape (\d \w \s and their negations), or undefined. */
function classEscape(e: string): Pick<Atom, 'ascii' | 'beyondAscii'> | undefined {
  switch (e) {
    case 'd': return { ascii: DIGIT, beyondAscii: false };
    case 'w': return { ascii: WORD, beyondAscii: false };
    case 's': return { ascii: SPACE, beyondAscii: true };
    case 'D': return { ascii: DIGIT.map((x) => 1 - x), beyondAscii: true };
    case 'W': return { ascii: WORD.map((x) => 1 - x), beyondAscii: true };
    case 'S': return { ascii: SPACE.map((x) => 1 - x), beyondAscii: true };
    default: return undefined;
  }
}

function fold(set: Uint8Array): Uint8Array {
  const out = set.slice();
  for (let c = 65; c <= 90; c++) if (set[c] === 1 || set[c + 32] === 1) out[c] = out[c + 32] = 1;
  return out;
}

/** A class `[...]` from `i` (at `[`) to `end` (past `]`): its characters, when it can be read. */
function readClass(source: string, i: number, end: number): Pick<Atom, 'ascii' | 'beyondAscii' | 'alternatives'> {
  const unknown = { ascii: undefined, beyondAscii: true, alternatives: undefined };
  let j = i + 1;
  const negated = source[j] === '^';
  if (negated) j++;
  const set = new Uint8Array(128);
  let beyond = false;
  const members = new Set<string>();
  /** Whether every member is listed in `members` (not after a class escape or a long range). */
  let listed = true;
  const add = (c: number): void => {
    if (c < 128) set[c] = 1;
    else beyond = true;
    if (members.size <= MAX_ALTERNATIVES) members.add(String.fromCharCode(c));
  };
  let previous = -1;
  for (; j < end - 1; j++) {
    let c = source.charCodeAt(j);
    if (source[j] === '\\') {
      const e = source[++j] as string;
      const cls = classEscape(e);
      if (cls) {
        for (let k = 0; k < 128; k++) if (cls.ascii?.[k] === 1) set[k] = 1;
        beyond ||= cls.beyondAscii;
        listed = false;
        previous = -1;
        continue;
      }
      if (/[0-9A-Za-z]/.test(e)) return unknown;
      c = e.charCodeAt(0);
    } else if (source[j] === '-' && previous >= 0 && j + 1 < end - 1) {
      // A range; its end escaped ([!-\/]) is not read.
      if (source[j + 1] === '\\') return unknown;
      const to = source.charCodeAt(++j);
      if (to < previous) return unknown;
      for (let k = previous + 1; k <= to; k++) add(k);
      previous = -1;
      continue;
    }
    add(c);
    previous = c;
  }
  if (negated) return { ascii: set.map((x) => 1 - x), beyondAscii: true, alternatives: undefined };
  listed &&= members.size > 0 && members.size <= MAX_ALTERNATIVES;
  return { ascii: set, beyondAscii: beyond, alternatives: listed ? [...members] : undefined };
}

/** A group `(...)`: its literal alternatives and shortest length when plain, else unknown. */
function readGroup(source: string, i: number, end: number): Pick<Atom, 'alternatives' | 'width'> {
  let body = source.slice(i + 1, end - 1);
  if (/^\?(?:=|!|<=|<!)/.test(body)) return { alternatives: [''], width: 0 }; // lookaround
  if (body.startsWith('?:')) body = body.slice(2);
  else if (/^\?<[A-Za-z_$][\w$]*>/.test(body)) body = body.slice(body.indexOf('>') + 1);
  else if (body.startsWith('?')) return { alternatives: undefined, width: 0 };
  const parts = body.split('|');
  if (!parts.every((p) => PLAIN.test(p))) return { alternatives: undefined, width: 0 };
  const strings = parts.map((p) => p.replace(/\\(.)/g, '$1'));
  return {
    alternatives: strings.length <= MAX_ALTERNATIVES ? [...new Set(strings)] : undefined,
    width: Math.min(...strings.map((s) => s.length)),
  };
}

/** The top-level atoms of `source` (see the module comment), or undefined when unread. */
export function regexAtoms(source: string, flags: string): Atom[] | undefined {
  const ignoreCase = flags.includes('i');
  const dotAll = flags.includes('s');
  const atoms: Atom[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    let atom: Atom;
    if (c === '|') return undefined;
    if (c === '^' || c === '$') {
      atoms.push({ alternatives: [''], ascii: undefined, beyondAscii: true, width: 0, min: 1, max: 1 });
      i++;
      continue;
    } else if (c === '(' || c === '[') {
      const end = skipBracketed(source, i);
      if (end < 0) return undefined;
      atom = c === '['
        ? { ...readClass(source, i, end), width: 1, min: 1, max: 1 }
        : { ...readGroup(source, i, end), ascii: undefined, beyondAscii: true, min: 1, max: 1 };
      i = end;
    } else if (c === '\\') {
      const e = source[i + 1];
      if (e === undefined || GIVE_UP_ESCAPES.includes(e)) return undefined;
      i += 2;
      const cls = classEscape(e);
      if (cls) {
        atom = { ...cls, alternatives: undefined, width: 1, min: 1, max: 1 };
      } else if (e === 'b' || e === 'B') {
        atom = { alternatives: [''], ascii: undefined, beyondAscii: true, width: 0, min: 1, max: 1 };
      } else if (/[0-9]/.test(e)) {
        // A back reference (or a legacy octal escape): length unknown, 0 or more.
        while (i < source.length && /[0-9]/.test(source[i] as string)) i++;
        atom = { alternatives: undefined, ascii: undefined, beyondAscii: true, width: 0, min: 1, max: 1 };
      } else if (/[A-Za-z]/.test(e)) {
        // \t \n \r \f \v and identity escapes: one character, not worth listing.
        atom = { alternatives: undefined, ascii: undefined, beyondAscii: true, width: 1, min: 1, max: 1 };
      } else {
        atom = literalAtom(e);
      }
    } else if (c === '.') {
      atom = { alternatives: undefined, ascii: dotAll ? ALL : NOT_LINE_END, beyondAscii: true, width: 1, min: 1, max: 1 };
      i++;
    } else if (c === '*' || c === '+' || c === '?' || (c === '{' && QUANTIFIER.test(source.slice(i)))) {
      return undefined; // a quantifier with nothing to repeat: not a valid pattern
    } else {
      atom = literalAtom(c);
      i++;
    }
    // Its quantifier, if any (a trailing `?` makes it lazy: the same counts).
    const q = source[i];
    const counted = q === '{' ? QUANTIFIER.exec(source.slice(i)) : null;
    if (q === '*' || q === '+' || q === '?' || counted) {
      if (counted) {
        atom.min = Number(counted[1]);
        atom.max = counted[2] === undefined ? atom.min : counted[3] === '' ? Infinity : Number(counted[3]);
        i += counted[0].length;
      } else {
        atom.min = q === '+' ? 1 : 0;
        atom.max = q === '?' ? 1 : Infinity;
        i++;
      }
      if (source[i] === '?') i++;
    }
    if (ignoreCase && atom.ascii) atom.ascii = fold(atom.ascii);
    atoms.push(atom);
  }
  return atoms;
}

function literalAtom(ch: string): Atom {
  const code = ch.charCodeAt(0);
  const ascii = code < 128 ? charSet((c) => c === code) : new Uint8Array(128);
  return { alternatives: [ch], ascii, beyondAscii: code >= 128, width: 1, min: 1, max: 1 };
}
