/**
 * The prefilter may only skip rules that cannot match: on random rule sets and random events, the
 * prefilter and naive modes must return exactly the same hits. Literals come from a small
 * alphabet so that they occur often, in every case and position; it holds the characters the
 * prefilter's case folding treats specially (the Kelvin sign, "İ", Σ, Unicode dashes). Field
 * values repeat (the per-batch memo), and the prefilter mode runs over batches of many sizes.
 */
import { describe, expect, it } from 'vitest';
import type { Event } from '../../../common/events.js';
import type { VigieField } from '../../../signatures/fields/vigie-fields.js';
import type { CompiledRule, Node, StringMode, Test } from '../../../signatures/ir.js';
import { mulberry32 } from './prng.js';
import type { Hit } from '../../../signatures/match/index.js';
import { built, proc, rule } from './rules.js';

const FIELDS: VigieField[] = ['process.image', 'process.command_line', 'parent.image', 'process.user', 'process.description'];
const MODES: StringMode[] = ['eq', 'contains', 'startswith', 'endswith'];
const ALPHABET = 'abkcAKB\\. ';
const RARE = '\u212aİΣσς–—é';

function generator(seed: number) {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const text = (min: number, max: number): string => {
    const n = min + Math.floor(rnd() * (max - min + 1));
    let s = '';
    for (let i = 0; i < n; i++) s += rnd() < 0.04 ? pick([...RARE]) : pick([...ALPHABET]);
    return s;
  };
  const pool = Array.from({ length: 40 }, () => text(0, 24));
  const value = (): string => (rnd() < 0.1 ? '' : rnd() < 0.4 ? pick(pool) : text(0, 24));

  function test(): Test {
    const cased = rnd() < 0.2;
    const r = rnd();
    if (r < 0.6) {
      const value = text(0, 4);
      return { t: 'str', mode: pick(MODES), value: cased ? value : value.toLowerCase(), cased };
    }
    if (r < 0.85) {
      let pattern = '';
      const parts = 1 + Math.floor(rnd() * 3);
      for (let i = 0; i < parts; i++) pattern += pick(['*', '?', '', '*']) + text(0, 3);
      if (rnd() < 0.5) pattern += '*';
      return { t: 'glob', pattern: cased ? pattern : pattern.toLowerCase(), cased };
    }
    const source = text(1, 3).replace(/[\\.]/g, (c) => `\\${c}`);
    return { t: 're', source, flags: rnd() < 0.5 ? 'i' : '' };
  }

  function node(depth: number): Node {
    const r = rnd();
    if (depth >= 3 || r < 0.45) {
      const leaf = rnd();
      if (leaf < 0.06) return { op: 'keyword', test: test() };
      if (leaf < 0.08) return { op: 'const', value: rnd() < 0.5 };
      if (leaf < 0.1) return { op: 'field', field: pick(FIELDS), test: rnd() < 0.5 ? { t: 'empty' } : { t: 'exists', value: rnd() < 0.7 } };
      return { op: 'field', field: pick(FIELDS), test: test() };
    }
    if (r < 0.55) return { op: 'not', arg: node(depth + 1) };
    const args = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => node(depth + 1));
    return { op: r < 0.78 ? 'and' : 'or', args };
  }

  function event(): Event {
    const values = FIELDS.map(() => value());
    return proc({
      image: values[0], commandLine: values[1], parentImage: values[2], user: values[3], description: values[4],
    }, text(0, 6));
  }

  return { node, event, rnd };
}

describe('prefilter property', () => {
  for (const seed of [1, 2, 3]) {
    it(`prefilter and naive modes return the same hits (seed ${seed}, 300 rules x 2000 events)`, () => {
      const g = generator(seed);
      const rules: CompiledRule[] = Array.from({ length: 300 }, (_, i) =>
        rule(`r${i}`, g.node(0), g.rnd() < 0.95 ? 'process_creation' : 'dns_query'));
      const events: Event[] = Array.from({ length: 2000 }, () => g.event());
      events.push({ host: 'h', dns: { queryName: 'ab.c', image: 'AB' } });

      const fast = built(rules);
      const naive = built(rules, { prefilter: false });
      const b = naive.match(events);
      // Batches of many sizes, their hits mapped back to indices in the whole list.
      const a: Hit[] = [];
      for (let start = 0, size = 1; start < events.length; start += size, size = 1 + Math.floor(g.rnd() * 600)) {
        for (const h of fast.match(events.slice(start, start + size))) a.push({ rule: h.rule, event: h.event + start });
      }
      expect(a).toEqual(b);
      // The test is only worth something if rules both hit and get skipped.
      expect(b.length).toBeGreaterThan(1000);
      const c = fast.counters();
      expect(c.evaluated).toBeLessThan(c.candidates);
      expect(naive.counters().evaluated).toBe(c.candidates);
    });
  }
});
