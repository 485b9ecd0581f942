/**
 * Hostile values for the fuzz pass: what an attacker (or a broken collector) can put in a field
 * the sensor reads. Some are generic (empty, huge, odd Unicode, lone surrogates, NUL bytes, deep
 * paths, numbers at the limits of their wire type); the rest are made from the pack itself: its
 * literals twisted (case, repetition, truncation) and, for each regular expression, the inputs
 * that make backtracking explode (a long run of a character the pattern repeats, then the
 * literals the matcher's guard requires, then a character that makes the match fail at the end).
 */
import type { Node, Test } from '../../signatures/ir.js';
import { regexLiteralRuns } from '../../signatures/match/regex-literals.js';
import type { SignaturePack } from '../../signatures/pack/index.js';

export type Rand = () => number;

export const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

/** Beyond this length a string counts as huge; the fuzz bounds how many it makes. */
export const HUGE = 1 << 20;

export const UNICODE = [
  '😀🔥', 'é'.normalize('NFD'), '\u202eexe.txt', 'раураl', 'ｃｍｄ．ｅｘｅ', '\u0130STANBUL', 'straße', 'ﬃ',
  '\u200b\u200c\u200d\ufeff', '\u0000', 'a\u0300\u0300\u0300\u0300\u0300', '𝕔𝕞𝕕', '\u2028\u2029', '\uffff\ufffe',
];

/** Lone and reversed surrogates: invalid UTF-16, replaced on the wire as UTF-8 would be. */
export const SURROGATES = ['\ud800', '\udfff', 'a\udc00b', '\udc00\ud800', `cmd${'\ud83d'}.exe`];

export const GENERIC = [
  '', ' ', '\t\r\n', '"', "'", '\\', '%', '*', '?', '\0', 'cmd\0.exe', '\0'.repeat(1000), '..\\..\\..\\', '-', '/', '|', '^',
];

export const ADDRESSES = [
  '', '::', '::1', '::ffff:10.0.0.1', '0.0.0.0', '255.255.255.255', '999.999.999.999', '1.2.3', '1.2.3.4.5', '01.02.03.04',
  'fe80::1%eth0', '1:2:3:4:5:6:7:8:9', ':::::::', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', '10.0.0.1/33', 'localhost', '1'.repeat(5000),
];

export const NUMBERS = [0, 1, -1, 65_535, 65_536, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, Number.MAX_SAFE_INTEGER];

export function deepPath(rand: Rand): string {
  const depth = pick(rand, [64, 512, 4096, 32_768]);
  return pick(rand, [() => `C:${'\\a'.repeat(depth)}\\x.exe`, () => `/${'a/'.repeat(depth)}x`, () => '../'.repeat(depth), () => `\\\\?\\${'C:\\'.repeat(depth)}`])();
}

export interface PackLiterals {
  /** Every literal value of string, glob and fieldref tests. */
  strings: string[];
  /** Regular expressions with their required literal runs (what the guard wants to see). */
  regexes: Array<{ source: string; flags: string; runs: string[]; chars: string[] }>;
  numbers: number[];
}

export function packLiterals(pack: SignaturePack): PackLiterals {
  const out: PackLiterals = { strings: [], regexes: [], numbers: [] };
  const seen = new Set<string>();
  const test = (t: Test): void => {
    const key = `${t.t}:${JSON.stringify(t)}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (t.t === 'str') out.strings.push(t.value);
    else if (t.t === 'glob') out.strings.push(t.pattern.replace(/[*?]/g, ''), t.pattern.replace(/\*/g, 'x'.repeat(1000)));
    else if (t.t === 're') out.regexes.push(regexInfo(t.source, t.flags));
    else if (t.t === 'num') out.numbers.push(t.value, t.value - 1, t.value + 1);
    else if (t.t === 'cidr') out.strings.push(t.cidr.split('/')[0] ?? '');
  };
  const walk = (n: Node): void => {
    if (n.op === 'and' || n.op === 'or') n.args.forEach(walk);
    else if (n.op === 'not') walk(n.arg);
    else if (n.op === 'field' || n.op === 'keyword') test(n.test);
  };
  for (const r of pack.rules) walk(r.condition);
  return out;
}

export type RegexInfo = PackLiterals['regexes'][number];

export function regexInfo(source: string, flags: string): RegexInfo {
  return { source, flags, runs: regexLiteralRuns(source, flags), chars: regexChars(source) };
}

/** The literal characters a pattern mentions (escapes resolved, metacharacters dropped). */
export function regexChars(source: string): string[] {
  const chars = new Set<string>();
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const e = source[++i];
      if (e !== undefined && !/[a-zA-Z0-9]/.test(e)) chars.add(e);
      else if (e === 'd') chars.add('1');
      else if (e === 'w') chars.add('a');
      else if (e === 's') chars.add(' ');
    } else if (!'^$()[]{}*+?|.'.includes(c)) {
      chars.add(c);
    }
  }
  return [...chars];
}

/** Inputs that make a backtracking regex explode: run of c, the required literals, a failing tail. */
export function regexAttacks(re: RegexInfo, rand: Rand, lengths: readonly number[] = [24, 40, 64, 1024, 100_000]): string[] {
  const chars = re.chars.length > 0 ? re.chars : ['a'];
  const tails = ['!', '\n', '\0', ...chars];
  const out: string[] = [];
  for (const c of chars.slice(0, 6)) {
    for (const k of lengths) out.push(c.repeat(k) + re.runs.join('') + pick(rand, tails));
  }
  for (let i = 0; i + 1 < Math.min(chars.length, 6); i++) out.push((chars[i]! + chars[i + 1]!).repeat(5000) + re.runs.join('') + '!');
  return out;
}

/** A few huge strings per pattern: deep recursion (a stack overflow is a crash) wants millions. */
export function regexHuge(re: RegexInfo): string[] {
  const chars = re.chars.length > 0 ? re.chars : ['a'];
  return chars.slice(0, 2).map((c) => c.repeat(5_000_000));
}

/** A pack literal, twisted. */
export function twistLiteral(lit: string, rand: Rand): string {
  const k = pick(rand, [2, 16, 1000]);
  return pick(rand, [
    () => lit.toUpperCase(),
    () => lit.repeat(k),
    () => `${pick(rand, GENERIC)}${lit}${pick(rand, UNICODE)}`,
    () => lit.slice(0, Math.max(0, lit.length - 1)),
    () => lit.split('').join('\0'),
    () => `${lit}${'x'.repeat(HUGE)}`,
    () => lit.replace(/[a-z]/i, (c) => (c === 'i' ? '\u0130' : c === 'a' ? 'а' : c.toUpperCase())),
    () => `"${lit}" ${lit} '${lit}'`,
  ])();
}

export function genericString(rand: Rand): string {
  return pick(rand, [
    () => pick(rand, GENERIC),
    () => pick(rand, UNICODE).repeat(pick(rand, [1, 100, 10_000])),
    () => pick(rand, SURROGATES),
    () => deepPath(rand),
    () => 'A'.repeat(pick(rand, [4096, 65_536, HUGE])),
    () => String(pick(rand, NUMBERS)),
    () => pick(rand, ADDRESSES),
  ])();
}
