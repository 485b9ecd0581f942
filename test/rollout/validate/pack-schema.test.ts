/**
 * Schema and compile checks of packs, with the sensor's own reader and compiler: a rule that reads
 * a field the sensor does not supply for its event kind blocks (the July 2024 bug), every problem
 * is reported with its location, and a good pack passes.
 */
import { describe, expect, it } from 'vitest';
import { defaultPack } from '../../../signatures/pack/index.js';
import { checkPackSchema } from '../../../rollout/validate/pack-schema.js';
import { fieldsRead, unsuppliedFields } from '../../../rollout/validate/index.js';
import { containsRule, irRule, pack } from '../../helpers/packs.js';
import { packBytes, unsuppliedFieldRule } from './fixtures.js';

describe('pack schema checks', () => {
  it('passes the default pack: every field it reads is supplied, every rule compiles', () => {
    const out = checkPackSchema(packBytes(defaultPack()), 'default.json');
    expect(out.checks.map((c) => [c.name, c.verdict])).toEqual([['schema', 'pass'], ['compile', 'pass']]);
    expect(out.pack?.rules.length).toBeGreaterThan(10);
  });

  it('blocks a rule that reads a field its events do not carry, naming the rule, the field and where', () => {
    const p = pack('2.0.0', [containsRule('ok', 'evil'), unsuppliedFieldRule('r-2024'), irRule('r-ref', {
      op: 'field', field: 'process.image', test: { t: 'fieldref', other: 'dns.query_name', mode: 'eq', cased: false },
    })]);
    const problems = unsuppliedFields(p, 'p.json');
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatchObject({ code: 'VIGIE_BUNDLE_INCOMPATIBLE', location: { file: 'p.json', field: 'network.destination_port' } });
    expect(problems[0]!.message).toContain('rule r-2024');
    expect(problems[0]!.message).toContain('condition.args[1]');
    expect(problems[1]).toMatchObject({ location: { field: 'dns.query_name' } });
    expect(problems[1]!.message).toContain('condition.test.other');
    const out = checkPackSchema(packBytes(p), 'p.json');
    const schema = out.checks.find((c) => c.name === 'schema')!;
    expect(schema).toMatchObject({ verdict: 'block', code: 'VIGIE_BUNDLE_INCOMPATIBLE' });
    expect(schema.problems).toHaveLength(2);
    // The sensor itself would load it: its compiler does not see a problem.
    expect(out.checks.find((c) => c.name === 'compile')!.verdict).toBe('pass');
  });

  it('lists every field a condition reads, with its path', () => {
    expect(fieldsRead(unsuppliedFieldRule('x').condition)).toEqual([
      { field: 'process.image', path: 'condition.args[0]' },
      { field: 'network.destination_port', path: 'condition.args[1]' },
    ]);
  });

  it("reports every structural problem with the sensor's pack reader, and every compile problem with its compiler", () => {
    const unknownField = irRule('r-unknown', { op: 'field', field: 'process.template_field_21' as never, test: { t: 'exists', value: true } });
    const badLevel = { ...containsRule('r-level', 'x'), level: 'urgent' as never };
    const bad = checkPackSchema(packBytes(pack('1.0.0', [unknownField, badLevel])), 'bad.json');
    const schema = bad.checks.find((c) => c.name === 'schema')!;
    expect(schema).toMatchObject({ verdict: 'block', code: 'VIGIE_PACK_INVALID' });
    expect(schema.problems!.map((p) => p.location?.field)).toEqual(['r-unknown', 'r-level']);

    const badRegex = irRule('r-re', { op: 'field', field: 'process.command_line', test: { t: 're', source: '(', flags: '' } }, { source: { file: 're.yml', line: 12 } });
    const compile = checkPackSchema(packBytes(pack('1.0.0', [badRegex])), 'c.json').checks.find((c) => c.name === 'compile')!;
    expect(compile).toMatchObject({ verdict: 'block', code: 'VIGIE_RULE_COMPILE' });
    expect(compile.problems![0]!.location).toMatchObject({ file: 're.yml', line: 12, field: 'r-re' });
  });

  it('refuses bytes that are not UTF-8 JSON', () => {
    const out = checkPackSchema(Uint8Array.from([0x7b, 0xff, 0xfe]), 'x.json');
    expect(out.checks[0]).toMatchObject({ name: 'schema', verdict: 'block', code: 'VIGIE_PACK_INVALID' });
    expect(out.pack).toBeUndefined();
  });
});
