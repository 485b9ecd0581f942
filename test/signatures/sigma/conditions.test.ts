/** Conditions: precedence, parentheses, quantifiers over patterns and `them`, lists, keywords. */
import { describe, expect, it } from 'vitest';
import type { Node } from '../../../signatures/ir.js';
import { parseCondition } from '../../../signatures/sigma/condition-parser.js';
import { conditionOf, field, problemsOf, rule, str } from './helpers.js';

/** Selections a..d, each `Image: <name>`, and the condition under test. */
function withCondition(condition: string): string {
  const sels = ['a', 'b', 'c', 'd', 'sel_1', 'sel_2', '_hidden'].map((n) => `    ${n}:\n        Image: ${n}`).join('\n');
  return rule(`${sels}\n    condition: ${condition}`);
}
const id = (n: string): Node => field('process.image', str('eq', n.toLowerCase()));

describe('condition precedence', () => {
  it('not binds tighter than and, and tighter than or', () => {
    expect(conditionOf(withCondition('a or b and not c'))).toEqual({
      op: 'or',
      args: [id('a'), { op: 'and', args: [id('b'), { op: 'not', arg: id('c') }] }],
    });
  });

  it('parentheses override precedence; nested and/or flatten', () => {
    expect(conditionOf(withCondition('(a or b) and (c and d)'))).toEqual({
      op: 'and',
      args: [{ op: 'or', args: [id('a'), id('b')] }, id('c'), id('d')],
    });
    expect(conditionOf(withCondition('a or (b or (c or d))'))).toEqual({ op: 'or', args: [id('a'), id('b'), id('c'), id('d')] });
  });

  it('keywords are case-insensitive; not not cancels', () => {
    expect(conditionOf(withCondition('a AND NOT not b'))).toEqual({ op: 'and', args: [id('a'), id('b')] });
  });
});

describe('quantifiers', () => {
  it('1 of / any of / all of a pattern', () => {
    expect(conditionOf(withCondition('1 of sel_*'))).toEqual({ op: 'or', args: [id('sel_1'), id('sel_2')] });
    expect(conditionOf(withCondition('any of sel_*'))).toEqual({ op: 'or', args: [id('sel_1'), id('sel_2')] });
    expect(conditionOf(withCondition('all of sel_*'))).toEqual({ op: 'and', args: [id('sel_1'), id('sel_2')] });
  });

  it('1 of one selection is that selection', () => {
    expect(conditionOf(withCondition('1 of sel_1'))).toEqual(id('sel_1'));
    expect(conditionOf(withCondition('a and not 1 of b*'))).toEqual({ op: 'and', args: [id('a'), { op: 'not', arg: id('b') }] });
  });

  it('them is every identifier not starting with _', () => {
    expect(conditionOf(withCondition('all of them'))).toEqual({ op: 'and', args: ['a', 'b', 'c', 'd', 'sel_1', 'sel_2'].map(id) });
    expect(conditionOf(withCondition('1 of them and _hidden'))).toEqual({
      op: 'and',
      args: [{ op: 'or', args: ['a', 'b', 'c', 'd', 'sel_1', 'sel_2'].map(id) }, id('_hidden')],
    });
  });
});

describe('condition forms', () => {
  it('a list of conditions is their OR', () => {
    expect(conditionOf(rule('    a:\n        Image: a\n    b:\n        Image: b\n    condition:\n        - a\n        - b'))).toEqual({
      op: 'or',
      args: [id('a'), id('b')],
    });
  });

  it('a list of maps is an OR of ANDs', () => {
    const text = rule("    selection:\n        - Image: a\n          CommandLine: x\n        - Image: b\n    condition: selection");
    expect(conditionOf(text)).toEqual({
      op: 'or',
      args: [{ op: 'and', args: [id('a'), field('process.command_line', str('eq', 'x'))] }, id('b')],
    });
  });

  it('keyword lists and strings match anywhere in any field', () => {
    const text = rule("    keywords:\n        - 'Mimikatz'\n        - 'sek*lsa'\n    single: 'perfc.dat'\n    condition: keywords or single");
    expect(conditionOf(text)).toEqual({
      op: 'or',
      args: [
        { op: 'keyword', test: str('contains', 'mimikatz') },
        { op: 'keyword', test: { t: 'glob', pattern: '*sek*lsa*', cased: false } },
        { op: 'keyword', test: str('contains', 'perfc.dat') },
      ],
    });
  });

  it('a keyword map item without field name takes modifiers', () => {
    expect(conditionOf(rule("    kw:\n        '|re': 'a+b'\n    condition: kw"))).toEqual({ op: 'keyword', test: { t: 're', source: 'a+b', flags: '' } });
  });
});

describe('condition errors', () => {
  const condProblems = (condition: string) => problemsOf(withCondition(condition));
  // withCondition puts 7 selections (2 lines each) from line 8: the condition is on line 22.
  it('unknown identifiers and empty patterns are compile errors on the condition line', () => {
    expect(condProblems('a and nope')).toEqual([['VIGIE_RULE_COMPILE', 22]]);
    expect(condProblems('1 of filter_*')).toEqual([['VIGIE_RULE_COMPILE', 22]]);
    expect(condProblems('a and nope and nada')).toEqual([['VIGIE_RULE_COMPILE', 22], ['VIGIE_RULE_COMPILE', 22]]);
  });

  it('syntax errors are compile errors', () => {
    for (const bad of ['a and', '(a or b', 'a b', 'not', 'a or or b', '1 of', 'of a', 'a )']) {
      expect(condProblems(bad), bad).toEqual([['VIGIE_RULE_COMPILE', 22]]);
    }
  });

  it('aggregations, near and counted quantifiers are unsupported', () => {
    expect(condProblems('a | count() by Image > 5')).toEqual([['VIGIE_RULE_UNSUPPORTED', 22]]);
    expect(condProblems('a near b')).toEqual([['VIGIE_RULE_UNSUPPORTED', 22]]);
    expect(condProblems('2 of sel_*')).toEqual([['VIGIE_RULE_UNSUPPORTED', 22]]);
  });
});

describe('parseCondition', () => {
  it('records columns for messages', () => {
    const r = parseCondition('a and (b or c)');
    expect(r.ok && r.cond).toEqual({
      k: 'and',
      args: [{ k: 'id', name: 'a', col: 1 }, { k: 'or', args: [{ k: 'id', name: 'b', col: 8 }, { k: 'id', name: 'c', col: 13 }] }],
    });
    const bad = parseCondition('a and )');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.message).toContain('column 7');
  });
});
