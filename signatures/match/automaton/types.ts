export interface AutomatonStats {
  /**
   * Not automata: `tokens`, a lookup of whole `name=hex` literals (../token-scan.ts);
   * `literals`, `includes` of a handful (../literal-scan.ts).
   */
  layout: 'dense' | 'hybrid' | 'tokens' | 'literals';
  patterns: number;
  states: number;
  classes: number;
  /** Memory of the transition structure. */
  tableBytes: number;
}

/**
 * A multi-pattern matcher built once over patterns that each carry payloads (rule indices).
 * `scan` appends to `out` (from `count`) every payload of every pattern occurring in `text` that
 * is not yet marked with `epoch` in `seen`, marks it, and returns the new count; the caller
 * bumps the epoch per event, so payloads are reported once per event across several texts.
 */
export interface Automaton {
  readonly stats: AutomatonStats;
  /** -1 (nothing appended) when a prefilter-alphabet scan meets a character it cannot fold. */
  scan(text: string, seen: Uint32Array, epoch: number, out: Int32Array, count: number): number;
  /**
   * Whether no pattern can occur in `text`, by a test much cheaper than `scan` (a memo lookup
   * costs more than it); only matchers that have one (../literal-scan.ts) define it.
   */
  rejects?(text: string): boolean;
  /** Whether any pattern occurs in `text`. */
  test(text: string): boolean;
}

/**
 * Appends payload list `r` (payloads[payloadStart[r]..payloadStart[r + 1])) to `out` from
 * `count`, skipping payloads already marked with `epoch` in `seen` and marking the others; both
 * layouts report through it. Returns the new count.
 */
export function appendPayloads(
  payloads: Int32Array, payloadStart: Int32Array, r: number, seen: Uint32Array, epoch: number, out: Int32Array, count: number,
): number {
  for (let j = payloadStart[r] as number, end = payloadStart[r + 1] as number; j < end; j++) {
    const x = payloads[j] as number;
    if (seen[x] !== epoch) {
      seen[x] = epoch;
      out[count++] = x;
    }
  }
  return count;
}
