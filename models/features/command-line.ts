/**
 * Command-line shape: pure functions over one string, tested on literal command lines. Each
 * returns a plain number; the extractor scales them into the row (see process-features.ts).
 * Scans are bounded by MAX_SCAN characters: a 1 MB command line costs the same as an 8 KB one.
 */
import { countChar, entropyOfCounts } from './entropy.js';

/** Characters looked at by the scans below (length itself is exact). */
export const MAX_SCAN = 8192;

/** Shannon entropy in bits per character (char codes folded to 8 bits). '' -> 0. */
export function shannonEntropy(s: string, start = 0, end = s.length): number {
  const stop = Math.min(end, start + MAX_SCAN);
  const n = stop - start;
  if (n <= 0) return 0;
  for (let i = start; i < stop; i++) countChar(s.charCodeAt(i));
  return entropyOfCounts(n);
}

const isBase64Char = (c: number) =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47 || c === 61;
const isHexChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

function longestRun(s: string, accept: (c: number) => boolean): number {
  const stop = Math.min(s.length, MAX_SCAN);
  let best = 0;
  let run = 0;
  for (let i = 0; i < stop; i++) {
    if (accept(s.charCodeAt(i))) {
      run++;
      if (run > best) best = run;
    } else run = 0;
  }
  return best;
}

/** Longest run of base64 alphabet characters ([A-Za-z0-9+/=]): encoded payloads are long runs. */
export function longestBase64Run(s: string): number {
  return longestRun(s, isBase64Char);
}

/** Longest run of hex digits: shellcode, hashes and hex-encoded blobs. */
export function longestHexRun(s: string): number {
  return longestRun(s, isHexChar);
}

/** Number of URL literals: occurrences of "://" preceded by a letter (http://, ftp://, \\?\...). */
export function countUrls(s: string): number {
  const stop = Math.min(s.length, MAX_SCAN);
  let n = 0;
  for (let i = s.indexOf('://'); i > 0 && i < stop; i = s.indexOf('://', i + 3)) {
    const c = s.charCodeAt(i - 1) | 0x20;
    if (c >= 97 && c <= 122) n++;
  }
  return n;
}

/** Reads 1-3 digits at i as an octet; returns the index after it, or -1. */
function octetEnd(s: string, i: number, stop: number): number {
  let v = 0;
  let j = i;
  while (j < stop && j - i < 4) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
    j++;
  }
  return j === i || j - i > 3 || v > 255 ? -1 : j;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * When a dotted-quad IPv4 literal starts at i (each octet 0-255, not inside a longer dotted
 * number), the index after it; otherwise -1. The caller checks that s[i - 1] is neither a digit
 * nor a dot.
 */
export function ipLiteralEnd(s: string, i: number, stop: number): number {
  let j = i;
  let parts = 0;
  while (parts < 4) {
    const e = octetEnd(s, j, stop);
    if (e < 0) break;
    parts++;
    j = e;
    if (parts < 4) {
      if (s.charCodeAt(j) !== 46) break;
      j++;
    }
  }
  const next = j < stop ? s.charCodeAt(j) : 0;
  return parts === 4 && !isDigit(next) && !(next === 46 && isDigit(s.charCodeAt(j + 1))) ? j : -1;
}

/** Number of dotted-quad IPv4 literals (each octet 0-255, not inside a longer dotted number). */
export function countIpLiterals(s: string): number {
  const stop = Math.min(s.length, MAX_SCAN);
  let n = 0;
  for (let i = 0; i < stop; i++) {
    if (!isDigit(s.charCodeAt(i)) || (i > 0 && (isDigit(s.charCodeAt(i - 1)) || s.charCodeAt(i - 1) === 46))) continue;
    const j = ipLiteralEnd(s, i, stop);
    if (j >= 0) {
      n++;
      i = j;
    }
  }
  return n;
}

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/**
 * Splits on white space and quotes, writing token bounds into `starts`/`ends` (preallocated, so
 * the hot path does not allocate); returns the number of tokens written (at most starts.length).
 */
export function tokenBounds(s: string, starts: Int32Array, ends: Int32Array): number {
  const stop = Math.min(s.length, MAX_SCAN);
  const max = Math.min(starts.length, ends.length);
  let n = 0;
  let i = 0;
  while (i < stop && n < max) {
    let c = s.charCodeAt(i);
    while (i < stop && (isSpace(c) || c === 34 || c === 39)) c = s.charCodeAt(++i);
    if (i >= stop) break;
    const from = i;
    while (i < stop && !isSpace(c) && c !== 34 && c !== 39) c = s.charCodeAt(++i);
    starts[n] = from;
    ends[n] = i;
    n++;
  }
  return n;
}

/** Counts all tokens (not bounded by a buffer). */
export function countTokens(s: string): number {
  const stop = Math.min(s.length, MAX_SCAN);
  let n = 0;
  let inToken = false;
  for (let i = 0; i < stop; i++) {
    const c = s.charCodeAt(i);
    const sep = isSpace(c) || c === 34 || c === 39;
    if (!sep && !inToken) n++;
    inToken = !sep;
  }
  return n;
}

/** True when a token is PowerShell's -EncodedCommand in any of its accepted spellings. */
function isEncodedSwitch(lower: string, start: number, end: number): boolean {
  const c = lower.charCodeAt(start);
  if (c !== 45 && c !== 47 && c !== 0x2013) return false; // - / en dash
  const word = lower.slice(start + 1, end);
  return word === 'e' || word === 'ec' || (word.length >= 2 && 'encodedcommand'.startsWith(word));
}

/**
 * True when the command line passes an encoded payload: PowerShell -e/-ec/-enc/-EncodedCommand,
 * or a FromBase64String call. `lower` is the command line in lower case.
 */
export function hasEncodedFlag(lower: string): boolean {
  if (lower.includes('frombase64string')) return true;
  const stop = Math.min(lower.length, MAX_SCAN);
  let i = 0;
  while (i < stop) {
    while (i < stop && isSpace(lower.charCodeAt(i))) i++;
    const from = i;
    while (i < stop && !isSpace(lower.charCodeAt(i))) i++;
    if (i > from && isEncodedSwitch(lower, from, i)) return true;
  }
  return false;
}

/** Indicators of a hidden, policy-bypassing or download-and-run command line (lower case). */
export const EVASION_MARKERS: readonly string[] = Object.freeze([
  ' -nop', ' -noni', 'hidden', 'bypass', 'iex', 'invoke-expression', 'downloadstring', 'downloadfile',
  'invoke-webrequest', 'net.webclient', 'start-bitstransfer', '/transfer', '-urlcache', 'vssadmin', 'mshta',
]);

/** How many distinct evasion markers the (lower-case) command line contains. */
export function countEvasionMarkers(lower: string): number {
  const s = lower.length > MAX_SCAN ? lower.slice(0, MAX_SCAN) : lower;
  let n = 0;
  for (const m of EVASION_MARKERS) if (s.includes(m)) n++;
  return n;
}

/** Fraction of characters that are escape or concatenation tricks: ^ (cmd) and ` (PowerShell). */
export function obfuscationCharFraction(s: string): number {
  const stop = Math.min(s.length, MAX_SCAN);
  if (stop === 0) return 0;
  let n = 0;
  for (let i = 0; i < stop; i++) {
    const c = s.charCodeAt(i);
    if (c === 94 || c === 96) n++;
  }
  return n / stop;
}
