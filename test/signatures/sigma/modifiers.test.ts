/** Values and modifiers: every modifier, with the IR test it must produce. */
import { describe, expect, it } from 'vitest';
import { field, item, problemsOf, rule, str } from './helpers.js';

const cmd = (test: Parameters<typeof field>[1]) => field('process.command_line', test);

describe('plain values', () => {
  it('compiles a string without wildcards to a lower-cased eq test', () => {
    expect(item('Image', "'C:\\Windows\\System32\\CMD.exe'")).toEqual(field('process.image', str('eq', 'c:\\windows\\system32\\cmd.exe')));
  });

  it('uses contains/startswith/endswith for leading and trailing wildcards only', () => {
    expect(item('CommandLine', "'*Invoke-Mimikatz*'")).toEqual(cmd(str('contains', 'invoke-mimikatz')));
    expect(item('CommandLine', "'powershell*'")).toEqual(cmd(str('startswith', 'powershell')));
    expect(item('CommandLine', "'*\\evil.exe'")).toEqual(cmd(str('endswith', '\\evil.exe')));
    expect(item('CommandLine', "'**both**'")).toEqual(cmd(str('contains', 'both')));
  });

  it('uses a glob for inner wildcards and ?', () => {
    expect(item('CommandLine', "'cmd /c * > nul'")).toEqual(cmd({ t: 'glob', pattern: 'cmd /c * > nul', cased: false }));
    expect(item('CommandLine', "'*a?c*'")).toEqual(cmd({ t: 'glob', pattern: '*a?c*', cased: false }));
    expect(item('CommandLine', "'*'")).toEqual(cmd({ t: 'glob', pattern: '*', cased: false }));
  });

  it('follows Sigma escaping: \\* \\? \\\\ escape, other backslashes are literal', () => {
    expect(item('CommandLine', "'a\\*b'")).toEqual(cmd(str('eq', 'a*b')));
    expect(item('CommandLine', "'what\\?'")).toEqual(cmd(str('eq', 'what?')));
    expect(item('CommandLine', "'\\\\\\\\server\\\\share'")).toEqual(cmd(str('eq', '\\\\server\\share')));
    expect(item('Image', "'C:\\Temp\\'")).toEqual(field('process.image', str('eq', 'c:\\temp\\')));
    expect(item('CommandLine', "'*\\\\*.doc*'")).toEqual(cmd({ t: 'glob', pattern: '*\\*.doc*', cased: false }));
  });

  it('turns wildcards mixed with literal * into an anchored regular expression', () => {
    expect(item('CommandLine', "'* >> *Temp\\*.bin*'")).toEqual(cmd({ t: 're', source: '^[\\s\\S]* >> [\\s\\S]*Temp\\*\\.bin[\\s\\S]*$', flags: 'i' }));
    // Only at the ends, a literal * needs no regular expression.
    expect(item('CommandLine', "'*Temp\\*.bin*'")).toEqual(cmd(str('contains', 'temp*.bin')));
  });

  it('compiles numbers, booleans, null and the empty string', () => {
    expect(item('DestinationPort', '4444', 'network_connection')).toEqual(field('network.destination_port', { t: 'num', cmp: 'eq', value: 4444 }));
    expect(item('DestinationPort', "'445'", 'network_connection')).toEqual(field('network.destination_port', { t: 'num', cmp: 'eq', value: 445 }));
    expect(item('CommandLine', '0755')).toEqual(cmd(str('eq', '0755')));
    expect(item('Initiated', 'true', 'network_connection')).toEqual(field('network.initiated', str('eq', 'true')));
    expect(item('Initiated', "'false'", 'network_connection')).toEqual(field('network.initiated', str('eq', 'false')));
    expect(item('OriginalFileName', 'null')).toEqual(field('process.original_file_name', { t: 'empty' }));
    expect(item('OriginalFileName', '')).toEqual(field('process.original_file_name', { t: 'empty' }));
    expect(item('OriginalFileName', "''")).toEqual(field('process.original_file_name', { t: 'empty' }));
  });

  it('ORs the values of a list', () => {
    expect(item('Image|endswith', "['\\a.exe', '\\b.exe']")).toEqual({
      op: 'or',
      args: [field('process.image', str('endswith', '\\a.exe')), field('process.image', str('endswith', '\\b.exe'))],
    });
  });
});

describe('string modifiers', () => {
  it('contains, startswith, endswith', () => {
    expect(item('CommandLine|contains', "'-EncodedCommand'")).toEqual(cmd(str('contains', '-encodedcommand')));
    expect(item('CommandLine|startswith', "'cmd'")).toEqual(cmd(str('startswith', 'cmd')));
    expect(item('CommandLine|endswith', "'.ps1'")).toEqual(cmd(str('endswith', '.ps1')));
    expect(item('CommandLine|contains', "'a*b'")).toEqual(cmd({ t: 'glob', pattern: '*a*b*', cased: false }));
    expect(item('DestinationPort|startswith', '44', 'network_connection')).toEqual(field('network.destination_port', str('startswith', '44')));
  });

  it('all ANDs the values', () => {
    expect(item('CommandLine|contains|all', "['net', 'user', '/add']")).toEqual({
      op: 'and',
      args: [cmd(str('contains', 'net')), cmd(str('contains', 'user')), cmd(str('contains', '/add'))],
    });
  });

  it('cased keeps the case', () => {
    expect(item('CommandLine|contains|cased', "'-EncodedCommand'")).toEqual(cmd(str('contains', '-EncodedCommand', true)));
    expect(item('CommandLine|cased', "'A*B'")).toEqual(cmd({ t: 'glob', pattern: 'A*B', cased: true }));
  });

  it('windash expands a leading dash into -, /, en dash, em dash and horizontal bar', () => {
    expect(item('CommandLine|contains|windash', "' -s '")).toEqual({
      op: 'or',
      args: ['-', '/', '\u2013', '\u2014', '\u2015'].map((d) => cmd(str('contains', ` ${d}s `))),
    });
  });

  it('neq negates the item', () => {
    expect(item('Image|neq', "'x'")).toEqual({ op: 'not', arg: field('process.image', str('eq', 'x')) });
  });
});

describe('encoding modifiers', () => {
  it('base64 encodes the whole value', () => {
    expect(item('CommandLine|base64', "'ping'")).toEqual(cmd(str('eq', 'cgluzw==')));
    expect(item('CommandLine|base64|contains', "'ping'")).toEqual(cmd(str('contains', 'cgluzw==')));
  });

  it('base64offset produces the three shifted encodings (Sigma specification example)', () => {
    expect(item('CommandLine|base64offset|contains|cased', "'/bin/bash'")).toEqual({
      op: 'or',
      args: ['L2Jpbi9iYXNo', '9iaW4vYmFza', 'vYmluL2Jhc2'].map((v) => cmd(str('contains', v, true))),
    });
  });

  it('utf16le / wide / utf16be / utf16 encode before base64', () => {
    const shifted = (values: string[]) => ({ op: 'or', args: values.map((v) => cmd(str('contains', v, true))) });
    expect(item('CommandLine|wide|base64offset|contains|cased', "'Invoke'")).toEqual(shifted(['SQBuAHYAbwBrAGUA', 'kAbgB2AG8AawBlA', 'JAG4AdgBvAGsAZQ']));
    expect(item('CommandLine|utf16le|base64offset|contains|cased', "'Invoke'")).toEqual(shifted(['SQBuAHYAbwBrAGUA', 'kAbgB2AG8AawBlA', 'JAG4AdgBvAGsAZQ']));
    expect(item('CommandLine|utf16be|base64offset|contains|cased', "'Invoke'")).toEqual(shifted(['AEkAbgB2AG8AawBl', 'BJAG4AdgBvAGsAZ', 'ASQBuAHYAbwBrAG']));
    expect(item('CommandLine|utf16|base64offset|contains|cased', "'Invoke'")).toEqual(shifted(['//5JAG4AdgBvAGsAZQ', '/+SQBuAHYAbwBrAGUA', '//kkAbgB2AG8AawBlA']));
    expect(item('CommandLine|wide|base64|cased', "'ping'")).toEqual(cmd(str('eq', 'cABpAG4AZwA=', true)));
  });

  it('lower-cases encoded values unless cased (Sigma values are case-insensitive)', () => {
    expect(item('CommandLine|wide|base64offset|contains', "'IEX'")).toEqual({
      op: 'or',
      args: ['sqbfafga', 'karqbya', 'jaeuawa'].map((v) => cmd(str('contains', v))),
    });
  });

  it('wide alone yields the UTF-16LE bytes', () => {
    expect(item('CommandLine|wide|contains|cased', "'ab'")).toEqual(cmd(str('contains', 'a\0b\0', true)));
  });
});

describe('regular expressions', () => {
  it('re is case-sensitive; i, m, s set flags', () => {
    expect(item('CommandLine|re', "'\\s-[FTd]\\s'")).toEqual(cmd({ t: 're', source: '\\s-[FTd]\\s', flags: '' }));
    expect(item('CommandLine|re|i', "'net\\s+user'")).toEqual(cmd({ t: 're', source: 'net\\s+user', flags: 'i' }));
    expect(item('CommandLine|re|m|s', "'^a.b$'")).toEqual(cmd({ t: 're', source: '^a.b$', flags: 'ms' }));
    expect(item('CommandLine|re|ignorecase', "'x'")).toEqual(cmd({ t: 're', source: 'x', flags: 'i' }));
  });

  it('reads the value as written: no wildcard or escape processing', () => {
    expect(item('CommandLine|re', "'a.*b\\*'")).toEqual(cmd({ t: 're', source: 'a.*b\\*', flags: '' }));
  });

  it('translates a leading (?i) into the i flag', () => {
    expect(item('CommandLine|re', "'(?i)\\s(-u|--user)\\s*:'")).toEqual(cmd({ t: 're', source: '\\s(-u|--user)\\s*:', flags: 'i' }));
  });
});

describe('other value modifiers', () => {
  it('cidr, IPv4 and IPv6', () => {
    expect(item('DestinationIp|cidr', "['10.0.0.0/8', 'fe80::/10', '192.168.1.1']", 'network_connection')).toEqual({
      op: 'or',
      args: ['10.0.0.0/8', 'fe80::/10', '192.168.1.1/32'].map((cidr) => field('network.destination_ip', { t: 'cidr', cidr })),
    });
  });

  it('gt, gte, lt, lte', () => {
    const port = (cmp: string, value: number) => field('network.destination_port', { t: 'num', cmp, value } as never);
    expect(item('DestinationPort|gt', '1024', 'network_connection')).toEqual(port('gt', 1024));
    expect(item('DestinationPort|gte', "'1024'", 'network_connection')).toEqual(port('gte', 1024));
    expect(item('DestinationPort|lt', '10', 'network_connection')).toEqual(port('lt', 10));
    expect(item('DestinationPort|lte', '10.5', 'network_connection')).toEqual(port('lte', 10.5));
  });

  it('exists', () => {
    expect(item('OriginalFileName|exists', 'true')).toEqual(field('process.original_file_name', { t: 'exists', value: true }));
    expect(item('OriginalFileName|exists', 'false')).toEqual(field('process.original_file_name', { t: 'exists', value: false }));
  });

  it('fieldref, also with contains / startswith / endswith', () => {
    expect(item('Image|fieldref', 'ParentImage')).toEqual(field('process.image', { t: 'fieldref', other: 'parent.image', mode: 'eq', cased: false }));
    expect(item('CommandLine|fieldref|contains', 'ParentImage')).toEqual(cmd({ t: 'fieldref', other: 'parent.image', mode: 'contains', cased: false }));
    expect(item('CommandLine|fieldref|startswith', 'Image')).toEqual(cmd({ t: 'fieldref', other: 'process.image', mode: 'startswith', cased: false }));
    expect(item('CommandLine|fieldref|endswith|cased', 'Image')).toEqual(cmd({ t: 'fieldref', other: 'process.image', mode: 'endswith', cased: true }));
  });
});

describe('modifier rejections', () => {
  const one = (key: string, value: string) => problemsOf(rule(`    selection:\n        ${key}: ${value}\n    condition: selection`));

  it('expand, timestamp parts and unknown modifiers are unsupported (line of the key)', () => {
    expect(one('CommandLine|contains|expand', "'%Admins%'")).toEqual([['VIGIE_RULE_UNSUPPORTED', 9]]);
    expect(one('CommandLine|hour', '3')).toEqual([['VIGIE_RULE_UNSUPPORTED', 9]]);
    expect(one('CommandLine|sounds_like', "'x'")).toEqual([['VIGIE_RULE_UNSUPPORTED', 9]]);
  });

  it('bad values are compile errors', () => {
    expect(one('CommandLine|re', "'a(b'")).toEqual([['VIGIE_RULE_COMPILE', 9]]);
    expect(one('CommandLine|re', "'(?<=a)b(?P<x>c)(?P=x)(?#no)(?>d)'")).toEqual([['VIGIE_RULE_COMPILE', 9]]);
    expect(one('CommandLine|cidr', "'10.0.0.0/33'")).toEqual([['VIGIE_RULE_COMPILE', 9]]);
    expect(one('CommandLine|cidr', "'not-an-ip'")).toEqual([['VIGIE_RULE_COMPILE', 9]]);
    expect(one('CommandLine|gt', "'many'")).toEqual([['VIGIE_RULE_COMPILE', 9]]);
    expect(one('CommandLine|exists', "'maybe'")).toEqual([['VIGIE_RULE_COMPILE', 9]]);
    expect(one('CommandLine|base64', "'a*b'")).toEqual([['VIGIE_RULE_COMPILE', 9]]);
    expect(one('CommandLine|contains|re', "'x'")).toEqual([['VIGIE_RULE_COMPILE', 9]]);
    expect(one('CommandLine|i', "'x'")).toEqual([['VIGIE_RULE_COMPILE', 9]]);
    expect(one('CommandLine|fieldref', "'Image*'")).toEqual([['VIGIE_RULE_COMPILE', 9]]);
  });

  it('a fieldref to an unmapped field is unsupported', () => {
    expect(one('Image|fieldref', 'GrandParentImage')).toEqual([['VIGIE_RULE_UNSUPPORTED', 9]]);
  });

  it('reports the line of the bad value inside a list, once per distinct problem', () => {
    const text = rule("    selection:\n        CommandLine|re:\n            - 'ok'\n            - 'bad('\n            - '[x'\n    condition: selection");
    expect(problemsOf(text)).toEqual([['VIGIE_RULE_COMPILE', 11], ['VIGIE_RULE_COMPILE', 12]]);
  });
});
