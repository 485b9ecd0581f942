/**
 * The layout for large automata (a category's thousands of literals), where a full DFA table is
 * tens of MB (62,000 states x 71 classes x 4 bytes = 17.6 MB for the SigmaHQ command-line
 * literals). A scan spends most of its steps in the few shallow states, so:
 *
 * - the first `denseStates` states in breadth-first order (the root and the shallow states) get
 *   complete DFA rows: one lookup per character, failure links already resolved;
 * - the other, deep states get a compact record each in one Int32Array, and a step there follows
 *   failure links until a state has a child for the character or the walk reaches a dense state,
 *   which resolves it in one lookup.
 *
 * A state is named by where it lives, so that a step reads one array: a dense state by its row's
 * offset in `dfa`, a deep state by `deepBase` + its record's offset in `node` (no state -> record
 * index between them). A name is bit-inverted (negative) when the state reports, as in dense.ts:
 * "does it report?" is a sign test, not a read of a per-state array.
 *
 * A deep record packs what a step reads into as few words as possible, since the deep part is
 * read at random and its size is what the cache holds or not: `fail name << 8 | children`, then
 * one `child name << 8 | class` word per child; a reporting state's payload list comes in the
 * word before its record (only a report reads it). Records are laid out in depth-first order:
 * the states along a literal are consecutive (a one-child record is 2 words), which the
 * prefetcher follows. Measured on the SigmaHQ process_creation rules (docs/SIGMA.md "Speed"):
 * offset names and sign-bit reports made the match 5-15% faster, depth-first records 5-17%
 * more; the packed records take the command line's automaton from 1.7 MB to 1.0 MB.
 */
import { BAIL } from './trie.js';
import type { Trie } from './trie.js';
import { appendPayloads } from './types.js';
import type { Automaton, AutomatonStats } from './types.js';

/** The dense part's budget: about what stays in a core's L2 cache beside the rest. */
const DENSE_BYTES = 512 * 1024;
/** Classes a packed word can hold (its low byte), and the names it can (the other 23 bits). */
export const HYBRID_MAX_CLASSES = 256;
const MAX_NAME = 1 << 23;

export class HybridAutomaton implements Automaton {
  private readonly classOf: Uint16Array;
  private readonly width: number;
  /** Names from here on are deep states: `deepBase` + their record's offset in `node`. */
  private readonly deepBase: number;
  private readonly dfa: Int32Array;
  private readonly node: Int32Array;
  /** Per dense state (by row): 1 + the index of its payload list, or 0. */
  private readonly denseReport: Int32Array;
  private readonly payloadStart: Int32Array;
  private readonly payloads: Int32Array;
  readonly stats: AutomatonStats;

  /** `denseBytes`: the dense part's budget (tests shrink it to exercise the deep states). */
  constructor(trie: Trie, patterns: number, denseBytes = DENSE_BYTES) {
    const { width, children, fail, payloads } = trie;
    if (width > HYBRID_MAX_CLASSES) throw new RangeError(`hybrid automaton: ${width} classes, at most ${HYBRID_MAX_CLASSES}`);
    const n = children.length;
    const denseStates = Math.max(1, Math.min(n, Math.floor(denseBytes / (4 * width))));
    const deepBase = denseStates * width;
    const payloadStart: number[] = [];
    const flat: number[] = [];
    const reportOf = new Int32Array(n);
    for (let s = 0; s < n; s++) {
      const out = payloads[s] as number[];
      if (out.length === 0) continue;
      payloadStart.push(flat.length);
      flat.push(...out);
      reportOf[s] = payloadStart.length;
    }
    payloadStart.push(flat.length);
    // Every state's name before the sign: its row offset or deepBase + its record's offset, in
    // depth-first order.
    const name = new Int32Array(n);
    let size = 0;
    const stack = [0];
    while (stack.length > 0) {
      const s = stack.pop() as number;
      const kids = children[s] as Map<number, number>;
      if (s < denseStates) {
        name[s] = s * width;
      } else {
        if (reportOf[s] !== 0) size++;
        name[s] = deepBase + size;
        size += 1 + kids.size;
      }
      const order = [...kids.entries()].sort((a, b) => b[0] - a[0]);
      for (const [, child] of order) stack.push(child);
    }
    if (deepBase + size >= MAX_NAME) throw new RangeError(`hybrid automaton: ${deepBase + size} words, names hold ${MAX_NAME}`);
    /** The name a transition into `t` stores: inverted when `t` reports. */
    const target = (t: number): number => (reportOf[t] === 0 ? (name[t] as number) : ~(name[t] as number));

    // Complete rows for the dense states: a missing child is the failure state's transition
    // (a failure state is shallower, so it is dense too and its row is already complete).
    const dfa = new Int32Array(deepBase);
    const denseReport = new Int32Array(denseStates);
    for (let s = 0; s < denseStates; s++) {
      if (s !== 0) dfa.copyWithin(s * width, (fail[s] as number) * width, (fail[s] as number) * width + width);
      for (const [k, child] of children[s] as Map<number, number>) dfa[s * width + k] = target(child);
      denseReport[s] = reportOf[s] as number;
    }
    const node = new Int32Array(size);
    for (let s = denseStates; s < n; s++) {
      let o = (name[s] as number) - deepBase;
      const kids = children[s] as Map<number, number>;
      if (reportOf[s] !== 0) node[o - 1] = reportOf[s] as number;
      node[o++] = (name[fail[s] as number] as number) * 256 + kids.size;
      for (const [k, child] of kids) node[o++] = target(child) * 256 + k;
    }

    this.classOf = trie.classOf;
    this.width = width;
    this.deepBase = deepBase;
    this.dfa = dfa;
    this.node = node;
    this.denseReport = denseReport;
    this.payloadStart = Int32Array.from(payloadStart);
    this.payloads = Int32Array.from(flat);
    const bytes = dfa.byteLength + node.byteLength + denseReport.byteLength;
    this.stats = { layout: 'hybrid', patterns, states: n, classes: width, tableBytes: bytes };
  }

  /** The name after a character of class `k` (non-zero) in deep state `s` (a name >= deepBase). */
  private deepStep(s: number, k: number): number {
    const node = this.node;
    const deepBase = this.deepBase;
    for (;;) {
      const o = s - deepBase;
      const head = node[o] as number;
      for (let j = o + 1, end = j + (head & 255); j < end; j++) {
        const word = node[j] as number;
        if ((word & 255) === k) return word >> 8;
      }
      s = head >> 8;
      if (s < deepBase) return this.dfa[s + k] as number;
    }
  }

  scan(text: string, seen: Uint32Array, epoch: number, out: Int32Array, count: number): number {
    const classOf = this.classOf;
    const dfa = this.dfa;
    const deepBase = this.deepBase;
    let s = 0;
    for (let i = 0, len = text.length; i < len; i++) {
      const k = classOf[text.charCodeAt(i)] as number;
      if (k === BAIL) return -1;
      s = s < deepBase ? (dfa[s + k] as number) : k === 0 ? 0 : this.deepStep(s, k);
      if (s < 0) {
        s = ~s;
        count = this.reportPayloads(s, seen, epoch, out, count);
      }
    }
    return count;
  }

  test(text: string): boolean {
    const classOf = this.classOf;
    const dfa = this.dfa;
    const deepBase = this.deepBase;
    let s = 0;
    for (let i = 0, len = text.length; i < len; i++) {
      const k = classOf[text.charCodeAt(i)] as number;
      if (k === BAIL) return this.test(text.toLowerCase());
      s = s < deepBase ? (dfa[s + k] as number) : k === 0 ? 0 : this.deepStep(s, k);
      if (s < 0) return true;
    }
    return false;
  }

  /** Reports the payloads of the state named `s` (reporting, sign removed). */
  private reportPayloads(s: number, seen: Uint32Array, epoch: number, out: Int32Array, count: number): number {
    const r = (s < this.deepBase ? (this.denseReport[s / this.width] as number) : (this.node[s - this.deepBase - 1] as number)) - 1;
    return appendPayloads(this.payloads, this.payloadStart, r, seen, epoch, out, count);
  }
}
