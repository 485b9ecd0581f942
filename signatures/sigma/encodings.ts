/**
 * Value transformations of the Sigma modifiers windash, base64, base64offset and the UTF-16 family
 * (wide/utf16le, utf16be, utf16). Pure functions on Sigma strings; semantics follow pySigma, the
 * reference implementation, so that compiled rules match what other Sigma backends match.
 *
 * A string produced by a UTF-16 modifier holds bytes, one per character (latin1), marked by the
 * caller's `bytes` flag: base64 then encodes those bytes as they are instead of as UTF-8.
 */
import type { Part, SigmaString } from './sigma-string.js';
import { hasWildcards, mapLiterals, normalize, plainText } from './sigma-string.js';

/** The alternatives windash puts in place of a leading `-` or `/`: both, and the three dashes. */
export const WINDASH_CHARS = ['-', '/', '\u2013', '\u2014', '\u2015'] as const;

/** A `-` or `/` at the start of a word (pySigma's `\B[-/]\b`): `-enc`, ` /c`, not `a-b`. */
const WINDASH_RE = /\B[-/]\b/g;

/** Upper bound on windash alternatives for one value (5 per dash). */
export const MAX_EXPANSION = 3125;

/**
 * Windash: every parameter dash becomes one of the WINDASH_CHARS; the result is every combination.
 * Returns undefined when the value has so many dashes that the expansion passes MAX_EXPANSION.
 */
export function windash(s: SigmaString): SigmaString[] | undefined {
  // Slots: fixed parts, and the places where one of the alternatives goes.
  const slots: (Part | 'dash')[] = [];
  let count = 0;
  for (const p of s) {
    if (!('lit' in p)) {
      slots.push(p);
      continue;
    }
    let last = 0;
    for (const m of p.lit.matchAll(WINDASH_RE)) {
      const at = m.index;
      if (at > last) slots.push({ lit: p.lit.slice(last, at) });
      slots.push('dash');
      count++;
      last = at + 1;
    }
    if (last < p.lit.length) slots.push({ lit: p.lit.slice(last) });
  }
  if (WINDASH_CHARS.length ** count > MAX_EXPANSION) return undefined;
  let results: Part[][] = [[]];
  for (const slot of slots) {
    if (slot === 'dash') {
      results = results.flatMap((r) => WINDASH_CHARS.map((c) => [...r, { lit: c }]));
    } else {
      for (const r of results) r.push(slot);
    }
  }
  return results.map(normalize);
}

/** The bytes a base64 modifier encodes: UTF-8 text, or the bytes left by a UTF-16 modifier. */
export function valueBytes(s: SigmaString, bytes: boolean): Buffer | undefined {
  if (hasWildcards(s)) return undefined;
  return Buffer.from(plainText(s), bytes ? 'latin1' : 'utf8');
}

export function base64(data: Buffer): string {
  return data.toString('base64');
}

const OFFSET_START = [0, 2, 3] as const;
const OFFSET_END = [undefined, -3, -2] as const;

/**
 * base64offset: the value as it appears inside a longer base64 text, at each of the three byte
 * alignments. The data is prefixed with 0, 1 or 2 bytes, encoded, and the characters that depend
 * on the unknown neighbouring bytes are cut from both ends (pySigma's offsets: the start cut
 * depends on the prefix, the end cut on the total length modulo 3).
 */
export function base64Offsets(data: Buffer): string[] {
  const out: string[] = [];
  for (let i = 0; i < 3; i++) {
    const encoded = Buffer.concat([Buffer.alloc(i, 0x20), data]).toString('base64');
    const end = OFFSET_END[(data.length + i) % 3];
    out.push(encoded.slice(OFFSET_START[i], end));
  }
  return out;
}

export type Utf16Kind = 'utf16le' | 'utf16be' | 'utf16';

/** UTF-16 encodings of the literal parts, as byte strings (one latin1 character per byte). */
export function utf16(s: SigmaString, kind: Utf16Kind): SigmaString {
  const encoded = mapLiterals(s, (lit) => {
    const le = Buffer.from(lit, 'utf16le');
    if (kind === 'utf16be') le.swap16();
    return le.toString('latin1');
  });
  // utf16 is UTF-16LE with a byte order mark in front of the whole value.
  return kind === 'utf16' ? normalize([{ lit: '\xff\xfe' }, ...encoded]) : encoded;
}
