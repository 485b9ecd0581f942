/**
 * Every command-line shape measure of a process row in one pass over the string, without
 * lower-casing it: the functions of command-line.ts each walk the string (ten passes and a
 * lower-case copy per process start), and command lines average a few hundred characters.
 *
 * The result is the same as those functions give (the shape tests check both on the same
 * literals). Lower-case matching folds ASCII letters on the fly, which is what toLowerCase does
 * except for two characters (U+0130 and the Kelvin sign, which lower-case to ASCII or change the
 * length); a command line holding one of them, or longer than MAX_SCAN, takes the slow path
 * through the separate functions, so rare inputs keep the exact meaning.
 */
import {
  countEvasionMarkers, countIpLiterals, countTokens, countUrls, EVASION_MARKERS, hasEncodedFlag, ipLiteralEnd,
  longestBase64Run, longestHexRun, MAX_SCAN, obfuscationCharFraction, shannonEntropy, tokenBounds,
} from './command-line.js';
import { countChar, entropyOfCounts } from './entropy.js';

/** Character classes of ASCII codes (non-ASCII characters are in none). */
const B64 = 1;
const HEX = 2;
const SPACE = 4;
const QUOTE = 8;
const DIGIT = 16;
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const digit = c >= 48 && c <= 57;
  const upper = c >= 65 && c <= 90;
  const lower = c >= 97 && c <= 122;
  if (digit || upper || lower || c === 43 || c === 47 || c === 61) CLASS[c]! |= B64;
  if (digit || (c >= 65 && c <= 70) || (c >= 97 && c <= 102)) CLASS[c]! |= HEX;
  if (c === 32 || c === 9 || c === 10 || c === 13) CLASS[c]! |= SPACE;
  if (c === 34 || c === 39) CLASS[c]! |= QUOTE;
  if (digit) CLASS[c]! |= DIGIT;
}

/** Substrings searched case-insensitively: the evasion markers, then FromBase64String (last). */
const MARKERS: readonly Uint16Array[] = [...EVASION_MARKERS, 'frombase64string'].map((m) => Uint16Array.from(m, (ch) => ch.charCodeAt(0)));
const FROM_BASE64_BIT = 1 << (MARKERS.length - 1);
const EVASION_BITS = FROM_BASE64_BIT - 1;
/**
 * For each ASCII character (either case), the markers whose first (AT_0) or second (AT_1)
 * character it is, as bitmasks: the markers that start at i are AT_0[s[i]] & AT_1[s[i + 1]], two
 * lookups in 1 KB of tables per character. A space or a common letter starts a marker, the pair
 * rarely does, so a marker is compared only where its first two characters are.
 */
const maskAt = (pos: number) => Uint32Array.from({ length: 128 }, (_, c) => {
  const lower = c >= 65 && c <= 90 ? c | 0x20 : c;
  return MARKERS.reduce((bits, m, id) => (m[pos] === lower ? bits | (1 << id) : bits), 0);
});
const AT_0 = maskAt(0);
const AT_1 = maskAt(1);

/** PowerShell's -EncodedCommand, which may be shortened to any prefix of two letters or more. */
const ENCODED_COMMAND = 'encodedcommand';

/** ASCII upper-case letters to lower case; every other code as is. */
const fold = (c: number) => (c >= 65 && c <= 90 ? c | 0x20 : c);

function markerAt(s: string, i: number, stop: number, m: Uint16Array): boolean {
  if (i + m.length > stop) return false;
  for (let k = 1; k < m.length; k++) if (fold(s.charCodeAt(i + k)) !== m[k]) return false;
  return true;
}

/** isEncodedSwitch of command-line.ts, folding case on the fly: -e, -ec, -enc... /EncodedCommand. */
function encodedSwitchAt(s: string, start: number, end: number): boolean {
  const c = s.charCodeAt(start);
  if (c !== 45 && c !== 47 && c !== 0x2013) return false; // - / en dash
  const n = end - start - 1;
  if (n === 2 && fold(s.charCodeAt(start + 1)) === 101 && fold(s.charCodeAt(start + 2)) === 99) return true; // ec
  if (n < 1 || n > ENCODED_COMMAND.length || (n === 1 && fold(s.charCodeAt(start + 1)) !== 101)) return false;
  for (let k = 0; k < n; k++) if (fold(s.charCodeAt(start + 1 + k)) !== ENCODED_COMMAND.charCodeAt(k)) return false;
  return true;
}

/** The shape of one command line: raw measures, before the row's scaling (process-row.ts). */
export class ShapeMeasures {
  length = 0;
  entropy = 0;
  tokens = 0;
  base64Run = 0;
  hexRun = 0;
  urls = 0;
  ipLiterals = 0;
  encoded = false;
  evasionMarkers = 0;
  obfuscation = 0;

  /** Takes every measure of `m`. */
  copyFrom(m: ShapeMeasures): this {
    this.length = m.length;
    this.entropy = m.entropy;
    this.tokens = m.tokens;
    this.base64Run = m.base64Run;
    this.hexRun = m.hexRun;
    this.urls = m.urls;
    this.ipLiterals = m.ipLiterals;
    this.encoded = m.encoded;
    this.evasionMarkers = m.evasionMarkers;
    this.obfuscation = m.obfuscation;
    return this;
  }
}

/** Measures a command line in one pass (scan()), and keeps its token bounds. */
export class CommandLineShape extends ShapeMeasures {
  /** Bounds of the first `tokenBounds` tokens (white space and quotes split them), as tokenBounds() gives. */
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  tokenBounds = 0;

  constructor(maxTokens: number) {
    super();
    this.starts = new Int32Array(maxTokens);
    this.ends = new Int32Array(maxTokens);
  }

  /** Measures `s`; the previous measures are overwritten. */
  scan(s: string): this {
    this.length = s.length;
    this.urls = countUrls(s);
    if (s.length > MAX_SCAN || !this.fast(s)) this.slow(s);
    return this;
  }

  /** One pass; false (and nothing usable) when the string holds a character only toLowerCase folds right. */
  private fast(s: string): boolean {
    const stop = s.length;
    const starts = this.starts;
    const ends = this.ends;
    const maxBounds = starts.length;
    let b64 = 0;
    let b64Best = 0;
    let hex = 0;
    let hexBest = 0;
    let escapes = 0;
    let tokens = 0;
    let bounds = 0;
    let inToken = false;
    let recording = false;
    let word = -1;
    let encoded = false;
    let ips = 0;
    let found = 0;
    let prev = 0;
    let prevK = 0;
    for (let i = 0; i < stop; i++) {
      const c = s.charCodeAt(i);
      countChar(c);
      let k = 0;
      if (c < 128) k = CLASS[c]!;
      else if (c === 0x130 || c === 0x212a) {
        entropyOfCounts(i + 1); // clears the shared counts
        return false;
      }
      if (k & B64) {
        if (++b64 > b64Best) b64Best = b64;
      } else b64 = 0;
      if (k & HEX) {
        if (++hex > hexBest) hexBest = hex;
      } else hex = 0;
      if (c === 94 || c === 96) escapes++;
      // tokens: split on white space and quotes
      if (k & (SPACE | QUOTE)) {
        if (recording) {
          ends[bounds++] = i;
          recording = false;
        }
        inToken = false;
      } else if (!inToken) {
        inToken = true;
        tokens++;
        if (bounds < maxBounds) {
          starts[bounds] = i;
          recording = true;
        }
      }
      // words for the encoded-command switch: split on white space only
      if (k & SPACE) {
        if (word >= 0 && !encoded) encoded = encodedSwitchAt(s, word, i);
        word = -1;
      } else if (word < 0) word = i;
      // IPv4 literals start at a digit that does not follow a digit or a dot
      if ((k & DIGIT) !== 0 && (prevK & DIGIT) === 0 && prev !== 46 && ipLiteralEnd(s, i, stop) >= 0) ips++;
      // markers starting at the previous character, by the pair it makes with this one
      if ((prev | c) < 128) {
        let ids = AT_0[prev]! & AT_1[c]! & ~found;
        while (ids !== 0) {
          const low = ids & -ids;
          ids ^= low;
          if (i > 0 && markerAt(s, i - 1, stop, MARKERS[31 - Math.clz32(low)]!)) found |= low;
        }
      }
      prev = c;
      prevK = k;
    }
    if (recording) ends[bounds++] = stop;
    if (word >= 0 && !encoded) encoded = encodedSwitchAt(s, word, stop);
    this.entropy = stop > 0 ? entropyOfCounts(stop) : 0;
    this.tokens = tokens;
    this.tokenBounds = bounds;
    this.base64Run = b64Best;
    this.hexRun = hexBest;
    this.ipLiterals = ips;
    this.encoded = encoded || (found & FROM_BASE64_BIT) !== 0;
    this.evasionMarkers = popcount(found & EVASION_BITS);
    this.obfuscation = stop > 0 ? escapes / stop : 0;
    return true;
  }

  /** The separate functions, on a lower-case copy: long command lines and rare characters. */
  private slow(s: string): void {
    const lower = s.toLowerCase();
    this.entropy = shannonEntropy(s);
    this.tokens = countTokens(s);
    this.tokenBounds = tokenBounds(s, this.starts, this.ends);
    this.base64Run = longestBase64Run(s);
    this.hexRun = longestHexRun(s);
    this.ipLiterals = countIpLiterals(s);
    this.encoded = hasEncodedFlag(lower);
    this.evasionMarkers = countEvasionMarkers(lower);
    this.obfuscation = obfuscationCharFraction(s);
  }
}

function popcount(x: number): number {
  let n = 0;
  for (; x !== 0; x &= x - 1) n++;
  return n;
}
