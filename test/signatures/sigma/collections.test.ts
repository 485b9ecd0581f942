/** Rule collections: action global / reset / repeat, and plain multi-document files. */
import { describe, expect, it } from 'vitest';
import { compileText, field, str } from './helpers.js';

const COLLECTION = `action: global
title: Shared title
status: experimental
logsource:
    category: process_creation
    product: windows
detection:
    parent:
        ParentImage|endswith: '\\explorer.exe'
    condition: parent and child
level: high
---
id: aaaaaaaa-0000-0000-0000-000000000001
detection:
    child:
        Image|endswith: '\\cmd.exe'
---
id: aaaaaaaa-0000-0000-0000-000000000002
title: Own title
detection:
    child:
        Image|endswith: '\\powershell.exe'
---
action: repeat
id: aaaaaaaa-0000-0000-0000-000000000003
level: low
---
action: reset
---
title: No globals any more
id: aaaaaaaa-0000-0000-0000-000000000004
logsource:
    category: dns_query
detection:
    selection:
        QueryName|endswith: '.onion'
    condition: selection
`;

describe('collections', () => {
  const out = compileText(COLLECTION, 'collection.yml');

  it('merges the global document into each rule and reports nothing', () => {
    expect(out.problems).toEqual([]);
    expect(out.rules.map((r) => [r.id, r.title, r.level, r.source.line])).toEqual([
      ['aaaaaaaa-0000-0000-0000-000000000001', 'Shared title', 'high', 13],
      ['aaaaaaaa-0000-0000-0000-000000000002', 'Own title', 'high', 18],
      ['aaaaaaaa-0000-0000-0000-000000000003', 'Own title', 'low', 24],
      ['aaaaaaaa-0000-0000-0000-000000000004', 'No globals any more', 'medium', 30],
    ]);
    const explorer = field('parent.image', str('endswith', '\\explorer.exe'));
    expect(out.rules[0]?.condition).toEqual({ op: 'and', args: [explorer, field('process.image', str('endswith', '\\cmd.exe'))] });
    expect(out.rules[2]?.condition).toEqual({ op: 'and', args: [explorer, field('process.image', str('endswith', '\\powershell.exe'))] });
  });

  it('does not apply the global part after a reset', () => {
    expect(out.rules[3]?.status).toBe('');
    expect(out.rules[3]?.logsource).toEqual({ category: 'dns_query' });
  });

  it('points problems in merged global keys at the global document', () => {
    const bad = COLLECTION.replace("ParentImage|endswith: '\\explorer.exe'", "GrandParentImage: 'x'");
    const problems = compileText(bad, 'collection.yml').problems;
    expect(problems.map((p) => [p.code, p.location?.line, p.location?.field])).toEqual([
      ['VIGIE_RULE_UNSUPPORTED', 9, 'aaaaaaaa-0000-0000-0000-000000000001'],
      ['VIGIE_RULE_UNSUPPORTED', 9, 'aaaaaaaa-0000-0000-0000-000000000002'],
      ['VIGIE_RULE_UNSUPPORTED', 9, 'aaaaaaaa-0000-0000-0000-000000000003'],
    ]);
  });

  it('compiles several plain rules of one file independently', () => {
    const two = `title: One
logsource: {category: process_creation}
detection: {s: {Image: a}, condition: s}
---
title: Two
logsource: {category: process_creation}
detection: {s: {Nope: a}, condition: s}
---
title: Three
logsource: {category: process_creation}
detection: {s: {Image: c}, condition: s}
`;
    const r = compileText(two);
    expect(r.rules.map((x) => [x.title, x.id, x.source.line])).toEqual([['One', 'One', 1], ['Three', 'Three', 9]]);
    expect(r.problems.map((p) => [p.code, p.location?.line])).toEqual([['VIGIE_RULE_UNSUPPORTED', 7]]);
  });

  it('rejects unknown actions and a repeat with nothing to repeat', () => {
    const r = compileText('action: repeat\ntitle: x\n---\naction: merge\n');
    expect(r.problems.map((p) => [p.code, p.location?.line])).toEqual([['VIGIE_RULE_PARSE', 1], ['VIGIE_RULE_PARSE', 4]]);
  });
});
