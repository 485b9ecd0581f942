/**
 * After its probation the prefilter stops counting the requirements nearly every event meets:
 * more events reach those rules' predicates, and the hits stay the same.
 */
import { describe, expect, it } from 'vitest';
import { FREQUENT, MetStatistics, PROBATION_EVENTS } from '../../../signatures/match/met-statistics.js';
import { and, built, proc, rule, str } from './rules.js';

describe('MetStatistics', () => {
  it('drops the requirements met by more than FREQUENT of the events, keeping each rule\'s rarest', () => {
    // Rule 0: requirements 0, 1; rule 1: requirement 2; rule 2: requirements 3, 4.
    const ruleOf = Int32Array.from([0, 0, 1, 2, 2]);
    const stats = new MetStatistics(5);
    const events = 100;
    for (let e = 0; e < events; e++) {
      const met = [0, 2, 3, 4].filter((id) => id !== 3 || e < FREQUENT * events + 1).filter((id) => id !== 0 || e % 10 === 0);
      stats.observe(Int32Array.from(met), met.length);
    }
    expect(stats.events).toBe(events);
    // 0: met 10%, 1: never -> both kept; 2: always, but rule 1's only one; 3 and 4 frequent: the rarer kept.
    expect([...stats.active(ruleOf)]).toEqual([1, 1, 1, 1, 0]);
  });
});

describe('prefilter after its probation', () => {
  const img = 'process.image';
  const cmd = 'process.command_line';
  const rules = [rule('mimi', and(str(img, 'endswith', '.exe'), str(cmd, 'contains', 'mimikatz')))];

  it('evaluates a rule on its rarest requirement alone, with the same hits', () => {
    const fast = built(rules);
    const naive = built(rules, { prefilter: false });
    const benign = Array.from({ length: PROBATION_EVENTS }, () => proc({ image: 'C:\\x.exe', commandLine: 'x.exe /q' }));
    expect(fast.match(benign)).toEqual([]);
    const probe = [proc({ image: 'C:\\x.com', commandLine: 'mimikatz' }), proc({ image: 'C:\\x.exe', commandLine: 'MimiKatz' })];
    const before = fast.counters().evaluated;
    expect(fast.match(probe)).toEqual(naive.match(probe));
    expect(fast.match(probe)).toEqual([{ rule: 0, event: 1 }]);
    // ".exe" is no longer counted: the .com event reaches the predicate too (twice: two calls).
    expect(fast.counters().evaluated - before).toBe(4);
  });

  it('counts every requirement before it', () => {
    const fast = built(rules);
    const probe = [proc({ image: 'C:\\x.com', commandLine: 'mimikatz' }), proc({ image: 'C:\\x.exe', commandLine: 'MimiKatz' })];
    expect(fast.match(probe)).toEqual([{ rule: 0, event: 1 }]);
    expect(fast.counters().evaluated).toBe(1);
  });
});
