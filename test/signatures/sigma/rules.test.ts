/** Whole rules: metadata, scope, and every rejection with its code and line. */
import { describe, expect, it } from 'vitest';
import { compileOk, compileText, problemsOf, rule } from './helpers.js';

const FULL = `title: Suspicious Encoded PowerShell
id: 0b1b2c3d-1111-2222-3333-444455556666
status: stable
description: Detects encoded commands
author: Vigie tests
references:
    - https://example.test/a
tags:
    - attack.execution
    - attack.t1059.001
falsepositives: Admin scripts
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        Image|endswith: '\\powershell.exe'
        CommandLine|contains|windash: '-enc'
    condition: selection
level: critical
`;

describe('metadata', () => {
  it('copies every field into the compiled rule', () => {
    const r = compileOk(FULL);
    expect({ ...r, condition: undefined }).toEqual({
      id: '0b1b2c3d-1111-2222-3333-444455556666',
      title: 'Suspicious Encoded PowerShell',
      level: 'critical',
      status: 'stable',
      description: 'Detects encoded commands',
      author: 'Vigie tests',
      tags: ['attack.execution', 'attack.t1059.001'],
      references: ['https://example.test/a'],
      falsepositives: ['Admin scripts'],
      logsource: { category: 'process_creation', product: 'windows' },
      source: { file: 'rule.yml', line: 1 },
      condition: undefined,
    });
  });

  it('defaults: level medium, id = title, empty strings and lists', () => {
    const r = compileOk('title: Bare\nlogsource:\n    category: network_connection\n    product: linux\ndetection:\n    s:\n        DestinationPort: 22\n    condition: s\n');
    expect([r.id, r.level, r.status, r.description, r.author, r.tags, r.references, r.falsepositives]).toEqual(['Bare', 'medium', '', '', '', [], [], []]);
    expect(r.logsource).toEqual({ category: 'network_connection', product: 'linux' });
  });

  it('starts the source line at the first key, after comments', () => {
    expect(compileOk(`# a comment\n\n${FULL}`).source.line).toBe(3);
  });
});

describe('scope', () => {
  const withLogsource = (logsource: string) =>
    `title: T\nid: x-1\nlogsource:\n${logsource}\ndetection:\n    s:\n        TargetFilename: a\n    condition: s | count() > 3\n`;

  it('lists other logsources as out of scope, without problems', () => {
    const cases: [string, string][] = [
      ['    category: file_event\n    product: windows', 'file_event/windows'],
      ['    category: registry_set\n    product: windows', 'registry_set/windows'],
      ['    product: linux\n    service: auditd', 'linux/auditd'],
      ['    category: webserver', 'webserver'],
      ['    category: proxy', 'proxy'],
      ['    category: process_creation\n    product: macos', 'process_creation/macos'],
      ['    category: dns_query\n    product: windows\n    service: dns-server', 'dns_query/windows/dns-server'],
    ];
    for (const [logsource, label] of cases) {
      const out = compileText(withLogsource(logsource), 'r.yml');
      expect(out.problems, label).toEqual([]);
      expect(out.rules).toEqual([]);
      expect(out.outOfScope).toEqual([{ file: 'r.yml', line: 1, id: 'x-1', title: 'T', logsource: label }]);
    }
  });

  it('accepts the three categories with windows, linux, sysmon or no product', () => {
    for (const logsource of ['    category: process_creation', '    category: dns_query\n    product: windows', '    category: network_connection\n    product: windows\n    service: sysmon']) {
      const text = `title: T\nlogsource:\n${logsource}\ndetection:\n    s:\n        Image: a\n    condition: s\n`;
      expect(compileText(text).rules, logsource).toHaveLength(1);
    }
  });
});

describe('rejections', () => {
  it('invalid YAML is a parse error at its line', () => {
    expect(problemsOf('title: a\ndetection:\n  s: [unclosed\n')).toEqual([['VIGIE_RULE_PARSE', 4]]);
    expect(problemsOf('title: a\ntitle: b\n')).toEqual([['VIGIE_RULE_PARSE', 2]]);
  });

  it('a rule without title or detection is a parse error', () => {
    const noTitle = rule('    s:\n        Image: a\n    condition: s').replace('title: Test rule\n', '');
    expect(problemsOf(noTitle)).toEqual([['VIGIE_RULE_PARSE', 1]]);
    expect(problemsOf('title: T\nlogsource:\n    category: process_creation\n')).toEqual([['VIGIE_RULE_PARSE', 1]]);
    expect(problemsOf('title: T\nlogsource:\n    category: process_creation\ndetection: [a]\n')).toEqual([['VIGIE_RULE_PARSE', 4]]);
    expect(problemsOf('title: T\nlogsource:\n    category: process_creation\ndetection:\n    s:\n        Image: a\n')).toEqual([['VIGIE_RULE_PARSE', 5]]);
    expect(problemsOf('title: T\ndetection:\n    s: a\n    condition: s\n')).toEqual([['VIGIE_RULE_PARSE', 1]]);
  });

  it('an invalid level is a parse error at the level', () => {
    expect(problemsOf(rule('    s:\n        Image: a\n    condition: s').replace('level: high', 'level: severe'))).toEqual([['VIGIE_RULE_PARSE', 11]]);
  });

  it('unmapped fields are unsupported, naming the field, file, line and rule id', () => {
    const out = compileText(rule("    s:\n        Image: a\n        GrandParentImage|endswith: '\\x.exe'\n    condition: s"), 'rules/x.yml');
    expect(out.problems).toEqual([
      {
        code: 'VIGIE_RULE_UNSUPPORTED',
        message: "field 'GrandParentImage' has no Vigie equivalent for process_creation rules",
        location: { file: 'rules/x.yml', line: 10, field: '11111111-2222-3333-4444-555555555555' },
      },
    ]);
    expect(problemsOf(rule('    s:\n        QueryName: a\n    condition: s'))).toEqual([['VIGIE_RULE_UNSUPPORTED', 9]]);
    expect(problemsOf(rule('    s:\n        md5: abc\n    condition: s'))).toEqual([['VIGIE_RULE_UNSUPPORTED', 9]]);
  });

  it('timeframe and correlation rules are unsupported', () => {
    expect(problemsOf(rule('    s:\n        Image: a\n    timeframe: 5m\n    condition: s'))).toEqual([['VIGIE_RULE_UNSUPPORTED', 10]]);
    expect(problemsOf(`${rule('    s:\n        Image: a\n    condition: s')}timeframe: 1h\n`)).toEqual([['VIGIE_RULE_UNSUPPORTED', 12]]);
    const correlation = 'title: Many failures\nid: c-1\ncorrelation:\n    type: event_count\n    rules: [a]\n    group-by: [User]\n    timespan: 5m\n    condition: {gte: 10}\n';
    expect(problemsOf(correlation)).toEqual([['VIGIE_RULE_UNSUPPORTED', 3]]);
  });

  it('empty selections and nested values are compile errors', () => {
    expect(problemsOf(rule('    s:\n    condition: s'))).toEqual([['VIGIE_RULE_COMPILE', 8]]);
    expect(problemsOf(rule('    s: []\n    condition: s'))).toEqual([['VIGIE_RULE_COMPILE', 8]]);
    expect(problemsOf(rule('    s:\n        Image: []\n    condition: s'))).toEqual([['VIGIE_RULE_COMPILE', 9]]);
    expect(problemsOf(rule('    s:\n        Image:\n            - [a, b]\n    condition: s'))).toEqual([['VIGIE_RULE_COMPILE', 10]]);
  });

  it('reports every problem of a rule, and of every rule', () => {
    const text = rule(
      "    s:\n        GrandParentImage: a\n        CommandLine|re: '(('\n        Image|bogus: x\n    condition: s and missing",
    ).replace('level: high', 'level: loud');
    expect(problemsOf(text)).toEqual([
      ['VIGIE_RULE_PARSE', 13],
      ['VIGIE_RULE_UNSUPPORTED', 9],
      ['VIGIE_RULE_COMPILE', 10],
      ['VIGIE_RULE_UNSUPPORTED', 11],
      ['VIGIE_RULE_COMPILE', 12],
    ]);
    const out = compileText(`${text}---\n${rule('    s:\n        Image: fine\n    condition: s')}`);
    expect(out.rules).toHaveLength(1);
    expect(out.problems).toHaveLength(5);
  });
});
