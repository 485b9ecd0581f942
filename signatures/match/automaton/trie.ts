/**
 * The Aho-Corasick construction shared by both automaton layouts (dense.ts, hybrid.ts): character
 * classes, the trie, failure links and, per state, the payloads of every pattern that ends there
 * (its own and those of its failure chain). States are numbered breadth first: the root is 0 and
 * the shallow states, where a scan spends most of its time, come first.
 */

export interface AutomatonOptions {
  /**
   * The prefilter's alphabet, for lower-case patterns: the automaton reads text as it is stored
   * and finds what `text.toLowerCase()` would contain, or a superset of it.
   * - ASCII capitals read as their small letters, the Kelvin sign as "k" (the one non-ASCII
   *   character that lower-cases to ASCII).
   * - Every other non-ASCII character is one class, so `–i` is also found in `—i` (a superset,
   *   which a prefilter may report and a matcher may not); it keeps Sigma's literals at ~70
   *   classes instead of ~260.
   * - "İ" lower-cases to two characters; a scan that meets it stops and returns -1, and the
   *   caller scans the lower-cased text instead.
   * Without it, classes are exact: a pattern matches exactly its own characters.
   */
  prefilterAlphabet?: boolean;
}

/** The class of characters that make a prefilter scan give up (see AutomatonOptions). */
export const BAIL = 0xffff;

export interface Trie {
  /** Class of each UTF-16 code unit; 0 for characters in no pattern (they lead back to the root). */
  classOf: Uint16Array;
  /** Number of classes, class 0 included. */
  width: number;
  /** Per state: class -> child state (goto function). */
  children: Map<number, number>[];
  fail: Int32Array;
  /** Per state: payloads reported there, deduplicated; empty for silent states. */
  payloads: number[][];
}

export function buildTrie(patterns: ReadonlyMap<string, readonly number[]>, options: AutomatonOptions): Trie {
  if (patterns.has('')) throw new Error('automaton: an empty pattern matches everywhere; callers handle it');
  const classOf = new Uint16Array(65536);
  let width = 1;
  const all = [...patterns.keys()].join('');
  const folding = options.prefilterAlphabet === true;
  if (folding && /[^\x00-\x7f]/.test(all)) classOf.fill(width++, 128);
  for (let i = 0; i < all.length; i++) {
    const c = all.charCodeAt(i);
    if (classOf[c] === 0) classOf[c] = width++;
  }
  if (folding) {
    const A = 'A'.charCodeAt(0);
    const a = 'a'.charCodeAt(0);
    for (let c = A; c < A + 26; c++) classOf[c] = classOf[c - A + a] as number;
    classOf[0x212a] = classOf['k'.charCodeAt(0)] as number; // KELVIN SIGN
    classOf[0x0130] = BAIL; // LATIN CAPITAL LETTER I WITH DOT ABOVE -> "i\u0307"
  }

  // The trie, numbered in insertion order, then renumbered breadth first.
  const kids: Map<number, number>[] = [new Map()];
  const own: Set<number>[] = [new Set()];
  for (const [p, payload] of patterns) {
    let s = 0;
    for (let i = 0; i < p.length; i++) {
      const k = classOf[p.charCodeAt(i)] as number;
      let next = (kids[s] as Map<number, number>).get(k);
      if (next === undefined) {
        next = kids.length;
        kids.push(new Map());
        own.push(new Set());
        (kids[s] as Map<number, number>).set(k, next);
      }
      s = next;
    }
    for (const x of payload) (own[s] as Set<number>).add(x);
  }
  const order: number[] = [0];
  for (let q = 0; q < order.length; q++) for (const child of (kids[order[q] as number] as Map<number, number>).values()) order.push(child);
  const id = new Int32Array(kids.length);
  order.forEach((s, i) => (id[s] = i));
  const children = order.map((s) => new Map([...(kids[s] as Map<number, number>)].map(([k, c]) => [k, id[c] as number])));
  const outputs = order.map((s) => own[s] as Set<number>);

  // Failure links and inherited payloads, breadth first (a failure target is always shallower).
  const n = children.length;
  const fail = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    for (const [k, child] of children[s] as Map<number, number>) {
      if (s !== 0) {
        let f = fail[s] as number;
        while (f !== 0 && !(children[f] as Map<number, number>).has(k)) f = fail[f] as number;
        const target = (children[f] as Map<number, number>).get(k);
        fail[child] = target ?? 0;
      }
    }
    if (s !== 0) for (const x of outputs[fail[s] as number] as Set<number>) (outputs[s] as Set<number>).add(x);
  }
  return { classOf, width, children, fail, payloads: outputs.map((o) => [...o]) };
}
