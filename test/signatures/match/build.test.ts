import { describe, expect, it } from 'vitest';
import type { CompiledRule, Node } from '../../../signatures/ir.js';
import { buildRuleSet } from '../../../signatures/match/index.js';
import { built, conn, field, proc, rule, str } from './rules.js';

describe('buildRuleSet: problems', () => {
  it('reports every problem of every rule with its location', () => {
    const rules: CompiledRule[] = [
      rule('ok', str('process.image', 'endswith', '\\cmd.exe')),
      rule('bad-re', field('process.command_line', { t: 're', source: '(unclosed', flags: '' })),
      rule('bad-flags', field('process.command_line', { t: 're', source: 'a', flags: 'g' })),
      rule('bad-cidr', field('network.destination_ip', { t: 'cidr', cidr: '10.0.0.0/33' }), 'network_connection'),
      rule('bad-cidr6', field('network.destination_ip', { t: 'cidr', cidr: 'fe80:::1/10' }), 'network_connection'),
      rule('unknown-field', { op: 'field', field: 'process.nope', test: { t: 'empty' } } as unknown as Node),
      rule('wrong-type', field('process.pid', { t: 'str', mode: 'eq', value: '4', cased: false })),
      rule('wrong-keyword', { op: 'keyword', test: { t: 'num', cmp: 'eq', value: 1 } }),
      rule('bad-ref', field('process.image', { t: 'fieldref', other: 'nope' as never, mode: 'eq', cased: false })),
      rule('two', { op: 'and', args: [field('process.image', { t: 're', source: '[', flags: '' }), field('process.pid', { t: 'cidr', cidr: '1.2.3.4/8' })] }),
    ];
    const r = buildRuleSet(rules);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.every((p) => p.code === 'VIGIE_RULE_COMPILE')).toBe(true);
    const ids = r.problems.map((p) => p.location?.field);
    expect(ids).toEqual(['bad-re', 'bad-flags', 'bad-cidr', 'bad-cidr6', 'unknown-field', 'wrong-type', 'wrong-keyword', 'bad-ref', 'two', 'two']);
    expect(r.problems[0]?.location).toEqual({ file: 'bad-re.yml', line: 3, field: 'bad-re' });
    expect(r.problems[0]?.message).toMatch(/invalid regex/);
    expect(r.problems[5]?.message).toMatch(/number field process\.pid/);
  });

  it('refuses an unknown category and malformed nodes', () => {
    const odd = { ...rule('x', { op: 'const', value: true }), logsource: { category: 'file_event' } } as unknown as CompiledRule;
    const malformed = rule('m', { op: 'xor', args: [] } as unknown as Node);
    const r = buildRuleSet([odd, malformed]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.location?.field)).toEqual(['x', 'm']);
  });

  it('accepts an empty rule set', () => {
    expect(built([]).match([proc()])).toEqual([]);
  });
});

describe('RuleSet.match', () => {
  const rules = [
    rule('cmd', str('process.image', 'endswith', '\\cmd.exe')),
    rule('any-proc', { op: 'const', value: true }),
    rule('curl', str('process.image', 'endswith', 'curl'), 'network_connection'),
    rule('whoami', str('process.command_line', 'contains', 'whoami')),
  ];

  for (const prefilter of [true, false]) {
    it(`returns hits by event then rule, and counts (prefilter ${prefilter})`, () => {
      const set = built(rules, { prefilter });
      const events = [proc(), conn('1.1.1.1'), { processExit: { image: 'x' } }, proc({ image: 'C:\\x.exe', commandLine: 'x' })];
      expect(set.match(events)).toEqual([
        { rule: 0, event: 0 }, { rule: 1, event: 0 }, { rule: 3, event: 0 },
        { rule: 2, event: 1 },
        { rule: 1, event: 3 },
      ]);
      const c = set.counters();
      expect(c).toMatchObject({ events: 4, candidates: 3 + 1 + 3, hits: 5 });
      if (prefilter) expect(c.evaluated).toBe(3 + 1 + 1);
      else expect(c.evaluated).toBe(c.candidates);
    });
  }

  it('is frozen', () => {
    const set = built(rules);
    expect(Object.isFrozen(set)).toBe(true);
    expect(Object.isFrozen(set.rules)).toBe(true);
  });

  it('describes its automata', () => {
    const [stats] = built(rules).prefilterStats();
    expect(stats).toMatchObject({ category: 'process_creation', rules: 3, always: 1, literals: 2, requirements: 2 });
    expect(stats?.fields.map((f) => f.field)).toEqual(['process.image', 'process.command_line']);
    expect(built(rules, { prefilter: false }).prefilterStats()).toEqual([]);
  });
});
