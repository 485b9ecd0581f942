import { describe, expect, it } from 'vitest';
import { DenseAutomaton } from '../../../signatures/match/automaton/dense.js';
import { HybridAutomaton } from '../../../signatures/match/automaton/hybrid.js';
import { DENSE_MAX_BYTES, buildAutomaton } from '../../../signatures/match/automaton/index.js';
import type { Automaton, AutomatonOptions } from '../../../signatures/match/automaton/index.js';
import { buildTrie } from '../../../signatures/match/automaton/trie.js';
import { mulberry32 } from './prng.js';

type Patterns = Map<string, number[]>;

/** Every layout, the hybrid one with a dense part of one row or a few (deep states exercised). */
const LAYOUTS: [string, (p: Patterns, o?: AutomatonOptions) => Automaton][] = [
  ['dense', (p, o = {}) => new DenseAutomaton(buildTrie(p, o), p.size)],
  ['hybrid (root dense)', (p, o = {}) => new HybridAutomaton(buildTrie(p, o), p.size, 1)],
  ['hybrid (shallow dense)', (p, o = {}) => new HybridAutomaton(buildTrie(p, o), p.size, 64 * 4 * 8)],
];

function found(a: Automaton, texts: string[], payloads: number): number[] {
  const seen = new Uint32Array(payloads);
  const out = new Int32Array(payloads);
  let n = 0;
  for (const t of texts) n = a.scan(t, seen, 1, out, n);
  return n < 0 ? [-1] : [...out.subarray(0, n)].sort((x, y) => x - y);
}

for (const [layout, build] of LAYOUTS) {
  describe(`automaton: ${layout}`, () => {
    it('finds overlapping, nested and suffix patterns', () => {
      const a = build(new Map([['he', [0]], ['she', [1]], ['his', [2]], ['hers', [3]], ['s', [4]]]));
      expect(found(a, ['ushers'], 5)).toEqual([0, 1, 3, 4]);
      expect(found(a, ['hi'], 5)).toEqual([]);
      expect(found(a, ['this'], 5)).toEqual([2, 4]);
      expect(a.test('ahisb')).toBe(true);
      expect(a.test('xyz')).toBe(false);
    });

    it('reports each payload once per epoch and starts every text from the root', () => {
      const a = build(new Map([['ab', [0, 1]], ['abc', [1]]]));
      expect(found(a, ['ab ab abc'], 2)).toEqual([0, 1]);
      expect(found(a, ['a', 'bc'], 2)).toEqual([]);
    });

    it('is exact without the prefilter alphabet', () => {
      const a = build(new Map([['é\\x', [0]], ['日本', [1]], ['ab', [2]]]));
      expect(found(a, ['zzé\\x日本'], 3)).toEqual([0, 1]);
      expect(found(a, ['è\\x日x本AB'], 3)).toEqual([]);
    });

    it('with the prefilter alphabet, finds what the lower-cased text holds, or more', () => {
      const a = build(new Map([['cmd.exe', [0]], ['–i', [1]], ['kb', [2]]]), { prefilterAlphabet: true });
      expect(found(a, ['C:\\Windows\\CMD.EXE'], 3)).toEqual([0]);
      expect(found(a, ['x —I y'], 3)).toEqual([1]); // another dash: a superset
      expect(found(a, ['\u212aB'], 3)).toEqual([2]); // the Kelvin sign lower-cases to "k"
      expect(found(a, ['İkb'], 3)).toEqual([-1]); // "İ" lower-cases to two characters: give up
      expect(a.test('İ KB')).toBe(true);
    });

    it('agrees with String.includes on random patterns and texts', () => {
      const rnd = mulberry32(7);
      const alphabet = 'abc\\.';
      const word = (max: number) => Array.from({ length: 1 + Math.floor(rnd() * max) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('');
      for (let round = 0; round < 50; round++) {
        const patterns: Patterns = new Map();
        for (let i = 0; i < 20; i++) {
          const w = word(5);
          if (!patterns.has(w)) patterns.set(w, [patterns.size]);
        }
        const a = build(patterns);
        for (let t = 0; t < 20; t++) {
          const text = word(30);
          const expected = [...patterns].filter(([p]) => text.includes(p)).map(([, [id]]) => id as number).sort((x, y) => x - y);
          expect(found(a, [text], patterns.size)).toEqual(expected);
          expect(a.test(text)).toBe(expected.length > 0);
        }
      }
    });
  });
}

describe('automaton: state counts around the dense layout\'s 16-bit entries', () => {
  // Up to 32,768 states the dense table holds 16-bit entries, beyond 32-bit ones; the hybrid
  // layout names deep states by record offset. Same answers either side of the boundary.
  for (const states of [32_768, 32_769, 40_000]) {
    it(`agrees with String.includes at ${states} states`, () => {
      const rnd = mulberry32(states);
      const patterns: Patterns = new Map();
      // A state per distinct prefix, the root included. Random words over 4 letters: most of
      // their characters are new states; the last word is cut to land on `states` exactly.
      const prefixes = new Set<string>(['']);
      while (prefixes.size < states) {
        let w = '';
        for (let i = 0; i < 12 && prefixes.size < states; i++) {
          w += 'abcd'[Math.floor(rnd() * 4)];
          prefixes.add(w);
        }
        if (!patterns.has(w)) patterns.set(w, [patterns.size]);
      }
      const total = prefixes.size;
      const words = [...patterns.keys()];
      const texts = Array.from({ length: 30 }, (_, i) => `${words[(i * 7919) % words.length]}x${'abcd'.repeat(i)}`);
      for (const a of [new DenseAutomaton(buildTrie(patterns, {}), patterns.size), new HybridAutomaton(buildTrie(patterns, {}), patterns.size, 4096)]) {
        expect(a.stats.states).toBe(total);
        for (const text of texts) {
          const expected = [...patterns].filter(([p]) => text.includes(p)).map(([, [id]]) => id as number).sort((x, y) => x - y);
          expect(found(a, [text], patterns.size)).toEqual(expected);
        }
      }
    });
  }
});

describe('buildAutomaton', () => {
  it('picks the dense layout for small pattern sets and refuses the empty pattern', () => {
    expect(buildAutomaton(new Map([['ab', [0]]])).stats).toMatchObject({ layout: 'dense', patterns: 1, states: 3 });
    expect(buildAutomaton(new Map([['ab', [0]]]), { layout: 'hybrid' }).stats.layout).toBe('hybrid');
    expect(() => buildAutomaton(new Map([['', [0]]]))).toThrow(/empty pattern/);
  });

  it('keeps the dense layout past the classes a hybrid record can name (256)', () => {
    // 300 distinct characters, each pattern long enough that the DFA exceeds DENSE_MAX_BYTES.
    const chars = Array.from({ length: 300 }, (_, i) => String.fromCharCode(0x4e00 + i));
    const patterns = new Map(chars.map((c, i) => [c.repeat(20) + chars[(i + 1) % 300], [i]]));
    const trie = buildTrie(patterns, {});
    expect(trie.width).toBe(301);
    expect(trie.children.length * trie.width * 4).toBeGreaterThan(DENSE_MAX_BYTES);
    expect(() => new HybridAutomaton(trie, patterns.size)).toThrow(RangeError);
    const a = buildAutomaton(patterns);
    expect(a.stats.layout).toBe('dense');
    expect(found(a, [`x${chars[7]?.repeat(21)}${chars[8]}`], 300)).toEqual([7]);
  });
});
