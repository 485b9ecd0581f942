export interface AutomatonStats {
  layout: 'dense' | 'hybrid';
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
  /** Whether any pattern occurs in `text`. */
  test(text: string): boolean;
}
