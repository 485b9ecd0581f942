/**
 * "pid:startTimeMs" text (processKey() of common/events.ts, NetworkRowContext.processKey) back to
 * its two numbers, for lineage lookups by number (LineageScores.networkOf). Per network row in
 * the engine, so it allocates nothing: digits are read in place, into a caller's object.
 */

export interface ProcessIdentity {
  pid: number;
  start: number;
}

/** Exact below 2^53: at most 15 decimal digits. */
const MAX_FAST_DIGITS = 15;

/**
 * Reads `key` into `into` and returns it. The inverse of processKey() for every pid and start
 * time it renders (integers in place; anything else, such as a fraction, through Number()). Text
 * it never renders (no colon, an empty part) gives NaN parts.
 */
export function readProcessKey(key: string, into: ProcessIdentity): ProcessIdentity {
  const colon = key.indexOf(':');
  if (colon < 0) {
    into.pid = NaN;
    into.start = NaN;
    return into;
  }
  into.pid = digits(key, 0, colon);
  into.start = digits(key, colon + 1, key.length);
  return into;
}

function digits(s: string, from: number, to: number): number {
  if (to > from && to - from <= MAX_FAST_DIGITS) {
    let n = 0;
    let i = from;
    for (; i < to; i++) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      n = n * 10 + c;
    }
    if (i === to) return n;
  }
  return to > from ? Number(s.slice(from, to)) : NaN;
}
