/**
 * The DFA layout: one row of `width` entries per state, every transition precomputed, so a step
 * is `state = table[state * width + classOf[code]]` with no failure-link loop. Entries are the
 * target state's position, bit-inverted (negative) when it reports, so "does it report?" is a
 * sign test. Rows are laid out in depth-first order: the states along a pattern are consecutive
 * rows, which the CPU's prefetcher follows.
 *
 * Entries are 16-bit while there are at most 32,768 states (every dense automaton of the SigmaHQ
 * rules): half the memory and half the cache lines of 32-bit offsets, for one multiplication per
 * step. On the SigmaHQ process_creation rules the images' and hashes' tables went from 1.9 MB
 * to 0.94 and 0.97 MB, and the match was about 5% faster (docs/SIGMA.md "Speed").
 */
import { BAIL } from './trie.js';
import type { Trie } from './trie.js';
import { appendPayloads } from './types.js';
import type { Automaton, AutomatonStats } from './types.js';

export class DenseAutomaton implements Automaton {
  private readonly classOf: Uint16Array;
  private readonly table: Int16Array | Int32Array;
  private readonly width: number;
  /** Per state (by position): 1 + the index of its payload list, or 0. */
  private readonly reportOf: Int32Array;
  /** Payloads of payload list r: payloadStart[r]..[r+1]. */
  private readonly payloadStart: Int32Array;
  private readonly payloads: Int32Array;
  readonly stats: AutomatonStats;

  constructor(trie: Trie, patterns: number) {
    const { width, children, fail, payloads } = trie;
    const n = children.length;
    // Rows in trie numbering: a missing transition is the failure state's (already complete).
    const rows = new Int32Array(n * width);
    for (let s = 0; s < n; s++) {
      if (s !== 0) rows.copyWithin(s * width, (fail[s] as number) * width, (fail[s] as number) * width + width);
      for (const [k, child] of children[s] as Map<number, number>) rows[s * width + k] = child;
    }
    // Positions in depth-first order: walking a pattern visits consecutive rows.
    const position = new Int32Array(n);
    const stack = [0];
    let next = 0;
    while (stack.length > 0) {
      const s = stack.pop() as number;
      position[s] = next++;
      const kids = [...(children[s] as Map<number, number>).entries()].sort((a, b) => b[0] - a[0]);
      for (const [, child] of kids) stack.push(child);
    }
    const reportOf = new Int32Array(n);
    const flat: number[] = [];
    const payloadStart: number[] = [];
    for (let s = 0; s < n; s++) {
      if ((payloads[s] as number[]).length === 0) continue;
      payloadStart.push(flat.length);
      flat.push(...(payloads[s] as number[]));
      reportOf[position[s] as number] = payloadStart.length;
    }
    payloadStart.push(flat.length);
    // Entries: the target's position, bit-inverted (negative) when the target reports
    // (~32767 = -32768 still fits 16 bits).
    const table = n <= 0x8000 ? new Int16Array(n * width) : new Int32Array(n * width);
    for (let s = 0; s < n; s++) {
      const base = (position[s] as number) * width;
      for (let k = 0; k < width; k++) {
        const t = rows[s * width + k] as number;
        const p = position[t] as number;
        table[base + k] = (payloads[t] as number[]).length === 0 ? p : ~p;
      }
    }
    this.classOf = trie.classOf;
    this.table = table;
    this.width = width;
    this.reportOf = reportOf;
    this.payloadStart = Int32Array.from(payloadStart);
    this.payloads = Int32Array.from(flat);
    this.stats = { layout: 'dense', patterns, states: n, classes: width, tableBytes: table.byteLength };
  }

  scan(text: string, seen: Uint32Array, epoch: number, out: Int32Array, count: number): number {
    const classOf = this.classOf;
    const table = this.table;
    const width = this.width;
    let s = 0;
    for (let i = 0, len = text.length; i < len; i++) {
      const k = classOf[text.charCodeAt(i)] as number;
      if (k === BAIL) return -1;
      s = table[s * width + k] as number;
      if (s < 0) {
        s = ~s;
        count = this.report(s, seen, epoch, out, count);
      }
    }
    return count;
  }

  test(text: string): boolean {
    const classOf = this.classOf;
    const table = this.table;
    const width = this.width;
    let s = 0;
    for (let i = 0, len = text.length; i < len; i++) {
      const k = classOf[text.charCodeAt(i)] as number;
      if (k === BAIL) return this.test(text.toLowerCase());
      s = table[s * width + k] as number;
      if (s < 0) return true;
    }
    return false;
  }

  private report(state: number, seen: Uint32Array, epoch: number, out: Int32Array, count: number): number {
    const r = (this.reportOf[state] as number) - 1;
    return appendPayloads(this.payloads, this.payloadStart, r, seen, epoch, out, count);
  }
}
