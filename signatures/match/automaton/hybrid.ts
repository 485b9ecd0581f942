/**
 * The layout for large automata (a category's thousands of literals), where a full DFA table is
 * tens of MB (62,000 states x 71 classes x 4 bytes = 17.6 MB for the SigmaHQ command-line
 * literals). A scan spends most of its steps in the few shallow states, so:
 *
 * - the first `denseStates` states in breadth-first order (the root and the shallow states) get
 *   complete DFA rows: one lookup per character, failure links already resolved;
 * - the other, deep states get a compact record each, [fail, n, class1, child1, ... classN,
 *   childN] in one Int32Array, and a step there follows failure links until a state has a
 *   child for the character or the walk reaches a dense state, which resolves it in one lookup.
 *
 * A state reports when `report[state]` is non-zero (1 + its payload list's index). On the
 * SigmaHQ rules it takes an eighth of the DFA's memory for 2-3% of the match's speed.
 */
import { BAIL } from './trie.js';
import type { Trie } from './trie.js';
import type { Automaton, AutomatonStats } from './types.js';

/** The dense part's budget: about what stays in a core's L2 cache beside the rest. */
const DENSE_BYTES = 512 * 1024;

export class HybridAutomaton implements Automaton {
  private readonly classOf: Uint16Array;
  private readonly width: number;
  private readonly denseStates: number;
  private readonly dfa: Int32Array;
  /** Deep state s: its record starts at node[recordOf[s - denseStates]]. */
  private readonly recordOf: Int32Array;
  private readonly node: Int32Array;
  private readonly report: Int32Array;
  private readonly payloadStart: Int32Array;
  private readonly payloads: Int32Array;
  readonly stats: AutomatonStats;

  /** `denseBytes`: the dense part's budget (tests shrink it to exercise the deep states). */
  constructor(trie: Trie, patterns: number, denseBytes = DENSE_BYTES) {
    const { width, children, fail, payloads } = trie;
    const n = children.length;
    const denseStates = Math.max(1, Math.min(n, Math.floor(denseBytes / (4 * width))));
    // Complete rows for the dense states: a missing child is the failure state's transition
    // (a failure state is shallower, so it is dense too and its row is already complete).
    const dfa = new Int32Array(denseStates * width);
    for (let s = 0; s < denseStates; s++) {
      if (s !== 0) dfa.copyWithin(s * width, (fail[s] as number) * width, (fail[s] as number) * width + width);
      for (const [k, child] of children[s] as Map<number, number>) dfa[s * width + k] = child;
    }
    const recordOf = new Int32Array(n - denseStates);
    let size = 0;
    for (let s = denseStates; s < n; s++) {
      recordOf[s - denseStates] = size;
      size += 2 + 2 * (children[s] as Map<number, number>).size;
    }
    const node = new Int32Array(size);
    for (let s = denseStates; s < n; s++) {
      let o = recordOf[s - denseStates] as number;
      const kids = children[s] as Map<number, number>;
      node[o++] = fail[s] as number;
      node[o++] = kids.size;
      for (const [k, child] of kids) {
        node[o++] = k;
        node[o++] = child;
      }
    }
    const report = new Int32Array(n);
    const payloadStart: number[] = [];
    const flat: number[] = [];
    for (let s = 0; s < n; s++) {
      const out = payloads[s] as number[];
      if (out.length === 0) continue;
      payloadStart.push(flat.length);
      flat.push(...out);
      report[s] = payloadStart.length;
    }
    payloadStart.push(flat.length);

    this.classOf = trie.classOf;
    this.width = width;
    this.denseStates = denseStates;
    this.dfa = dfa;
    this.recordOf = recordOf;
    this.node = node;
    this.report = report;
    this.payloadStart = Int32Array.from(payloadStart);
    this.payloads = Int32Array.from(flat);
    const bytes = dfa.byteLength + recordOf.byteLength + node.byteLength + report.byteLength;
    this.stats = { layout: 'hybrid', patterns, states: n, classes: width, tableBytes: bytes };
  }

  /** The state after a character of class `k` (non-zero) in deep state `s`. */
  private deepStep(s: number, k: number): number {
    const node = this.node;
    const recordOf = this.recordOf;
    const denseStates = this.denseStates;
    for (;;) {
      const o = recordOf[s - denseStates] as number;
      for (let j = o + 2, end = o + 2 + 2 * (node[o + 1] as number); j < end; j += 2) {
        if (node[j] === k) return node[j + 1] as number;
      }
      s = node[o] as number;
      if (s < denseStates) return this.dfa[s * this.width + k] as number;
    }
  }

  scan(text: string, seen: Uint32Array, epoch: number, out: Int32Array, count: number): number {
    const classOf = this.classOf;
    const dfa = this.dfa;
    const width = this.width;
    const denseStates = this.denseStates;
    const report = this.report;
    let s = 0;
    for (let i = 0, len = text.length; i < len; i++) {
      const k = classOf[text.charCodeAt(i)] as number;
      if (k === BAIL) return -1;
      s = s < denseStates ? (dfa[s * width + k] as number) : k === 0 ? 0 : this.deepStep(s, k);
      const r = report[s] as number;
      if (r !== 0) count = this.reportPayloads(r - 1, seen, epoch, out, count);
    }
    return count;
  }

  test(text: string): boolean {
    const classOf = this.classOf;
    const dfa = this.dfa;
    const width = this.width;
    const denseStates = this.denseStates;
    const report = this.report;
    let s = 0;
    for (let i = 0, len = text.length; i < len; i++) {
      const k = classOf[text.charCodeAt(i)] as number;
      if (k === BAIL) return this.test(text.toLowerCase());
      s = s < denseStates ? (dfa[s * width + k] as number) : k === 0 ? 0 : this.deepStep(s, k);
      if (report[s] !== 0) return true;
    }
    return false;
  }

  private reportPayloads(r: number, seen: Uint32Array, epoch: number, out: Int32Array, count: number): number {
    const payloads = this.payloads;
    for (let j = this.payloadStart[r] as number, end = this.payloadStart[r + 1] as number; j < end; j++) {
      const x = payloads[j] as number;
      if (seen[x] !== epoch) {
        seen[x] = epoch;
        out[count++] = x;
      }
    }
    return count;
  }
}
