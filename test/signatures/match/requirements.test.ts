import { describe, expect, it } from 'vitest';
import { fieldIdOf, stringFieldsOf } from '../../../signatures/fields/event-view.js';
import type { Node } from '../../../signatures/ir.js';
import { MAX_REQUIREMENTS, requirementOf, requirementsOf } from '../../../signatures/match/index.js';
import { and, field, not, or, str } from './rules.js';

const lits = (n: Node) => {
  const r = requirementOf(n, 'process_creation');
  return r && [...r.literals.keys()].sort();
};
const cnf = (n: Node) => requirementsOf(n, 'process_creation').map((r) => [...r.literals.keys()].sort());
const img = 'process.image';
const cmd = 'process.command_line';

describe('requirementOf', () => {
  it('str and glob tests require their (longest) literal, lower-cased', () => {
    expect(lits(str(img, 'endswith', '\\cmd.exe'))).toEqual(['\\cmd.exe']);
    expect(lits(str(img, 'contains', 'PowerShell', true))).toEqual(['powershell']);
    expect(lits(field(img, { t: 'glob', pattern: '*\\sys?em32\\*.exe', cased: false }))).toEqual(['em32\\']);
    expect(lits(field(img, { t: 'glob', pattern: 'c:\\*\\AppData\\*', cased: true }))).toEqual(['\\appdata\\']);
  });

  it('literals shorter than 2 characters, and non-ASCII cased values, are no requirement', () => {
    expect(lits(str(img, 'contains', 'x'))).toBeNull();
    expect(lits(str(img, 'eq', ''))).toBeNull();
    expect(lits(field(img, { t: 'glob', pattern: '*a?b*', cased: false }))).toBeNull();
    expect(lits(str(img, 'contains', 'ΑΣ', true))).toBeNull();
    expect(lits(str(img, 'contains', 'ας', false))).toEqual(['ας']);
  });

  it('a single character beyond ASCII is a requirement: most text has none', () => {
    // Cyrillic "а" and a one-unit emoji: each lets the prefilter skip events without such a character.
    expect(lits(str(cmd, 'contains', 'а'))).toEqual(['а']);
    expect(lits(or(str(cmd, 'contains', 'а'), str(cmd, 'contains', '☺')))).toEqual(['а', '☺']);
    expect(lits(or(str(cmd, 'contains', 'а'), str(cmd, 'contains', 'x')))).toBeNull();
  });

  it('re tests require their longest literal run, lower-cased when ASCII', () => {
    expect(lits(field(cmd, { t: 're', source: 'ipconfig\\s+/all', flags: '' }))).toEqual(['ipconfig']);
    expect(lits(field(cmd, { t: 're', source: '\\$PSHome\\[\\s*\\d', flags: '' }))).toEqual(['$pshome[']);
    expect(lits(field(cmd, { t: 're', source: 'Invoke-\\w+', flags: 'i' }))).toEqual(['invoke-']);
    expect(lits(field(cmd, { t: 're', source: 'a|bcdef', flags: '' }))).toBeNull();
    expect(lits(field(cmd, { t: 're', source: 'ΣΣΣ.ab', flags: '' }))).toEqual(['ab']);
    expect(lits(field(cmd, { t: 're', source: 'a.b', flags: '' }))).toBeNull();
  });

  it('re tests require the alternatives of a run of classes and groups, and else a long class run', () => {
    expect(lits(field(cmd, { t: 're', source: '\\\\[a-z0-9]{1,32}\\.[a-z0-9]{1,6}\\.[ "\']{1}', flags: '' }))).toEqual(['. ', '."', ".'"]);
    expect(lits(field(cmd, { t: 're', source: '-(W|R)\\s?(\\s|"|\')', flags: '' }))).toEqual(['-r', '-w']);
    const snake = requirementOf(field(cmd, { t: 're', source: '\\s[a-fA-F0-9]{64}\\s[a-fA-F0-9]{16}', flags: '' }), 'process_creation');
    expect(snake?.literals.size).toBe(0);
    expect(snake?.runs?.map((r) => [r.field, r.length, r.ascii['a'.charCodeAt(0)], r.ascii['g'.charCodeAt(0)]])).toEqual([[fieldIdOf(cmd), 64, 1, 0]]);
    // Shorter runs are no requirement (a GUID has 12 hex digits in a row).
    expect(lits(field(cmd, { t: 're', source: '[a-f0-9]{12}', flags: '' }))).toBeNull();
    // In an OR, runs and literals unite.
    const both = requirementOf(or(field(cmd, { t: 're', source: '[0-9]{20}', flags: '' }), str(cmd, 'contains', 'abc')), 'process_creation');
    expect([[...(both?.literals.keys() ?? [])], both?.runs?.length]).toEqual([['abc'], 1]);
  });

  it('num, cidr, exists, empty, fieldref and not have none', () => {
    expect(lits(field('process.pid', { t: 'num', cmp: 'eq', value: 4 }))).toBeNull();
    expect(lits(field(cmd, { t: 'exists', value: true }))).toBeNull();
    expect(lits(field(cmd, { t: 'empty' }))).toBeNull();
    expect(lits(field(cmd, { t: 'fieldref', other: img, mode: 'eq', cased: false }))).toBeNull();
    expect(lits(not(str(cmd, 'contains', 'abc')))).toBeNull();
  });

  it('AND takes the most selective child: longest shortest literal, then fewest literals', () => {
    const exe = str(img, 'endswith', '.exe');
    const list = or(str(cmd, 'contains', 'sekurlsa'), str(cmd, 'contains', 'kerberos::'));
    expect(lits(and(exe, list))).toEqual(['kerberos::', 'sekurlsa']);
    expect(lits(and(not(list), exe))).toEqual(['.exe']);
    expect(lits(and(str(cmd, 'contains', 'abcd'), or(str(cmd, 'contains', 'wxyz'), str(cmd, 'contains', 'zyxw'))))).toEqual(['abcd']);
    expect(lits(and(not(exe)))).toBeNull();
  });

  it('OR is the union, none when a child has none', () => {
    expect(lits(or(str(img, 'endswith', '\\a.exe'), str(cmd, 'contains', 'bb')))).toEqual(['\\a.exe', 'bb']);
    expect(lits(or(str(img, 'endswith', '\\a.exe'), not(str(cmd, 'contains', 'bb'))))).toBeNull();
  });

  it('const false can never hold: the empty requirement', () => {
    expect(lits({ op: 'const', value: false })).toEqual([]);
    expect(lits(and(str(img, 'eq', 'abc'), { op: 'const', value: false }))).toEqual([]);
    expect(lits({ op: 'const', value: true })).toBeNull();
  });

  it('records the fields to scan; keywords scan every string field', () => {
    const r = requirementOf(or(str(img, 'endswith', '\\a.exe'), str(cmd, 'contains', 'bb'), str(cmd, 'contains', '\\a.exe')), 'process_creation');
    expect([...(r?.literals.get('\\a.exe') ?? [])].sort()).toEqual([fieldIdOf(img), fieldIdOf(cmd)].sort());
    expect([...(r?.literals.get('bb') ?? [])]).toEqual([fieldIdOf(cmd)]);
    const k = requirementOf({ op: 'keyword', test: { t: 'str', mode: 'contains', value: 'evil', cased: false } }, 'dns_query');
    expect([...(k?.literals.get('evil') ?? [])].sort()).toEqual(stringFieldsOf('dns_query').sort());
  });
});

describe('requirementsOf (all must be met)', () => {
  const a = str(cmd, 'contains', 'aaaa');
  const b = str(img, 'endswith', 'bbbbb');
  const c = str(cmd, 'contains', 'cccccc');
  it('keeps every child requirement of an AND, most selective first', () => {
    expect(cnf(and(a, b, not(c)))).toEqual([['bbbbb'], ['aaaa']]);
    expect(cnf(and(a, and(b, c)))).toEqual([['cccccc'], ['bbbbb'], ['aaaa']]);
  });

  it('distributes an OR over ANDs: (a and b) or c = (a or c) and (b or c)', () => {
    expect(cnf(or(and(a, b), c))).toEqual([['bbbbb', 'cccccc'], ['aaaa', 'cccccc']]);
    expect(cnf(or(and(a, b), not(c)))).toEqual([]);
  });

  it('keeps at most MAX_REQUIREMENTS', () => {
    const many = and(...Array.from({ length: MAX_REQUIREMENTS + 2 }, (_, i) => str(cmd, 'contains', `lit${i}`)));
    expect(cnf(many)).toHaveLength(MAX_REQUIREMENTS);
  });

  it('falls back to the unions of the k-th requirements when the distribution would grow too large', () => {
    const pair = (i: number) => and(str(cmd, 'contains', `x${i}xx`), str(img, 'contains', `y${i}yyy`));
    const wide = or(pair(1), pair(2), pair(3), pair(4), pair(5));
    expect(cnf(wide)).toEqual([['y1yyy', 'y2yyy', 'y3yyy', 'y4yyy', 'y5yyy'], ['x1xx', 'x2xx', 'x3xx', 'x4xx', 'x5xx']]);
    // A child with one requirement lends it to every union.
    const mixed = or(pair(1), pair(2), pair(3), pair(4), pair(5), str(cmd, 'contains', 'zzzz'));
    expect(cnf(mixed)).toEqual([
      ['y1yyy', 'y2yyy', 'y3yyy', 'y4yyy', 'y5yyy', 'zzzz'],
      ['x1xx', 'x2xx', 'x3xx', 'x4xx', 'x5xx', 'zzzz'],
    ]);
  });

  it('has none for a node without requirement, and the never-met one for const false', () => {
    expect(cnf(not(a))).toEqual([]);
    expect(cnf(and(a, { op: 'const', value: false }))).toEqual([[], ['aaaa']]);
  });
});
