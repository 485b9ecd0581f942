/**
 * The fuzz inputs: seeded (the same pack and seed give the same inputs), aimed at what the pack
 * reads, made from its own literals and regexes, with huge strings bounded.
 */
import { describe, expect, it } from 'vitest';
import type { Event } from '../../../common/events.js';
import { readField } from '../../../signatures/fields/event-view.js';
import { fuzzInputs, fuzzTargets } from '../../../rollout/validate/index.js';
import { MAX_HUGE } from '../../../rollout/validate/fuzz-events.js';
import { eventText } from '../../../rollout/validate/event-text.js';
import { containsRule, loopingRule, pack, throwingRule } from '../../helpers/packs.js';

const p = pack('1.0.0', [containsRule('r-evil', 'evil'), loopingRule('r-loop'), throwingRule('r-throw')]);
const corpus: Event[] = [{ timeMs: 1, host: 'h', processStart: { process: { pid: 5, startTimeMs: 1 }, image: 'C:\\x.exe', commandLine: 'x' } }];
const longest = (e: Event): number => Math.max(...Object.values(e.processStart ?? e.network ?? e.dns ?? {}).map((v) => (typeof v === 'string' ? v.length : 0)), 0);

describe('fuzzInputs', () => {
  it('gives the same inputs for the same seed, other inputs for another', () => {
    const a = [...fuzzInputs(p, corpus, 120, 3)].map((i) => eventText(i.event));
    const b = [...fuzzInputs(p, corpus, 120, 3)].map((i) => eventText(i.event));
    const c = [...fuzzInputs(p, corpus, 120, 4)].map((i) => eventText(i.event));
    expect(a).toHaveLength(120);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it("aims at the fields the pack reads, with its regexes' attacks and its literals", () => {
    expect(fuzzTargets(p).targets).toEqual([{ category: 'process_creation', field: 'process.command_line' }]);
    const inputs = [...fuzzInputs(p, corpus, 400, 1)];
    const lines = inputs.map((i) => readField(i.event, 'process.command_line') as string);
    // The looping rule's attack: a run of "a", the "b" its literal guard wants, a failing tail.
    expect(lines.some((s) => /^a{40}b.$/s.test(s))).toBe(true);
    // Millions of "a" for the rule that recurses.
    expect(lines.some((s) => s.length === 5_000_000 && s.startsWith('aaaa'))).toBe(true);
    expect(lines.some((s) => s.toLowerCase().includes('evil') && s !== 'evil')).toBe(true);
    expect(inputs.some((i) => i.what.startsWith('every field missing'))).toBe(true);
    expect(inputs.filter((i) => longest(i.event) >= 1 << 20).length).toBeLessThanOrEqual(MAX_HUGE);
  });

  it('fuzzes every field of every kind when the pack reads none', () => {
    const kinds = new Set(fuzzTargets(pack('1.0.0', [])).targets.map((t) => t.category));
    expect([...kinds].sort()).toEqual(['dns_query', 'network_connection', 'process_creation']);
  });
});
