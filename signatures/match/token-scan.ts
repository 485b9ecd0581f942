/**
 * Literals of the form `name=hex` (`md5=49d503ca73babd8fccf522a611b539d1`: the Hashes field's
 * `SHA1=…,MD5=…,SHA256=…,IMPHASH=…`) looked up whole instead of walked through an automaton.
 * An automaton over hundreds of hashes reads each hex digit into a random branch of a
 * megabyte table. Here, at each `=` of the value, the few names are compared with what precedes
 * it and, for a name that matches, the first 8 hex digits that follow (a hash's are uniformly
 * spread) select the few tokens to compare whole: no lower-cased copy, no substring. The few
 * other literals of the field (a keyword's) are found with `includes` (literal-scan.ts).
 *
 * Exact, not a token split: a literal occurs in the lower-cased value exactly when, at one of
 * the value's `=`, the characters before are its name and those after its hex digits; every
 * `=` is tried with every name, whatever surrounds it. Lower-casing maps every character to one
 * at the same place and ASCII ones only from ASCII ones, but for "İ" (two characters) and the
 * Kelvin sign (to "k"): a value holding either is lower-cased and read the same way.
 */
import type { Automaton, AutomatonStats } from './automaton/index.js';
import { LiteralScanner, appendIds } from './literal-scan.js';

const TOKEN = /^([a-z0-9]+)=([0-9a-f]+)$/;
/** Hex digits read for a token's key: 30 bits, a small integer for the map. */
const KEY_DIGITS = 7;

/** Whether `literal` (lower-cased) is a `name=hex` literal. */
export function isToken(literal: string): boolean {
  return TOKEN.test(literal);
}

interface Family {
  readonly name: string;
  readonly hexLength: number;
  /** Key (first hex digits) -> indices of the family's tokens in `TokenScanner.tokens`. */
  readonly byKey: ReadonlyMap<number, readonly number[]>;
}

/** Whether `text` holds, at `at`, what lower-cases to `s` (lower-case ASCII; `text` holds neither "İ" nor "K"). */
function foldedAt(text: string, at: number, s: string): boolean {
  for (let j = 0; j < s.length; j++) {
    const c = text.charCodeAt(at + j);
    const t = s.charCodeAt(j);
    if (c !== t && !(t >= 0x61 && t <= 0x7a && c === t - 0x20)) return false;
  }
  return true;
}

/** The value of the `digits` hex digits at `at` (either case), or -1 when one is not a hex digit. */
function hexKey(text: string, at: number, digits: number): number {
  let key = 0;
  for (let j = 0; j < digits; j++) {
    const c = text.charCodeAt(at + j) | 0x20;
    const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
    if (d < 0) return -1;
    key = key * 16 + d;
  }
  return key;
}

export class TokenScanner implements Automaton {
  readonly stats: AutomatonStats;
  private readonly families: readonly Family[];
  /** Each token's literal and payloads. */
  private readonly tokens: readonly string[];
  private readonly ids: readonly Int32Array[];
  private readonly others: LiteralScanner;

  /** `tokens`: `name=hex` literal -> payloads; `others`: any literal -> payloads (a few). */
  constructor(tokens: ReadonlyMap<string, readonly number[]>, others: ReadonlyMap<string, readonly number[]>) {
    this.tokens = [...tokens.keys()];
    this.ids = [...tokens.values()].map((ids) => Int32Array.from(ids));
    const families = new Map<string, { name: string; hexLength: number; byKey: Map<number, number[]> }>();
    this.tokens.forEach((token, index) => {
      const [, name = '', hex = ''] = TOKEN.exec(token) ?? [];
      let family = families.get(`${name}=${hex.length}`);
      if (!family) families.set(`${name}=${hex.length}`, (family = { name, hexLength: hex.length, byKey: new Map() }));
      const key = hexKey(hex, 0, Math.min(KEY_DIGITS, hex.length));
      const same = family.byKey.get(key);
      if (same) same.push(index);
      else family.byKey.set(key, [index]);
    });
    this.families = [...families.values()];
    this.others = new LiteralScanner(others);
    const tableBytes = this.tokens.reduce((n, t) => n + 2 * t.length, this.others.stats.tableBytes);
    this.stats = { layout: 'tokens', patterns: tokens.size + others.size, states: 0, classes: 0, tableBytes };
  }

  scan(text: string, seen: Uint32Array, epoch: number, out: Int32Array, count: number): number {
    // The two characters that lower-case to ASCII from beyond it (see the module comment).
    const value = text.includes('\u0130') || text.includes('\u212a') ? text.toLowerCase() : text;
    const families = this.families;
    for (let q = value.indexOf('='); q >= 0; q = value.indexOf('=', q + 1)) {
      for (let f = 0; f < families.length; f++) {
        const { name, hexLength, byKey } = families[f] as Family;
        const from = q - name.length;
        if (from < 0 || q + 1 + hexLength > value.length || !foldedAt(value, from, name)) continue;
        const candidates = byKey.get(hexKey(value, q + 1, Math.min(KEY_DIGITS, hexLength)));
        if (candidates === undefined) continue;
        for (let c = 0; c < candidates.length; c++) {
          const index = candidates[c] as number;
          if (foldedAt(value, from, this.tokens[index] as string)) count = appendIds(this.ids[index] as Int32Array, seen, epoch, out, count);
        }
      }
    }
    return this.others.scan(text, seen, epoch, out, count);
  }

  test(text: string): boolean {
    const lower = text.toLowerCase();
    for (const token of this.tokens) if (lower.includes(token)) return true;
    return this.others.test(text);
  }
}
