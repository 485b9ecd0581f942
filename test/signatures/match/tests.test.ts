import { describe, expect, it } from 'vitest';
import { Direction } from '../../../common/events.js';
import { mulberry32 } from './prng.js';
import { and, built, conn, field, matches, not, or, proc, rule, str } from './rules.js';

const cmd = 'process.command_line';

describe('str tests', () => {
  const e = proc({ commandLine: 'CMD.exe /c WhoAmI' });
  it('compare the lower-cased field with the lower-cased value', () => {
    expect(matches(str(cmd, 'eq', 'cmd.exe /c whoami'), e)).toBe(true);
    expect(matches(str(cmd, 'eq', 'cmd.exe'), e)).toBe(false);
    expect(matches(str(cmd, 'contains', '/c who'), e)).toBe(true);
    expect(matches(str(cmd, 'startswith', 'cmd.exe'), e)).toBe(true);
    expect(matches(str(cmd, 'startswith', 'whoami'), e)).toBe(false);
    expect(matches(str(cmd, 'endswith', 'whoami'), e)).toBe(true);
    expect(matches(str(cmd, 'endswith', 'cmd.exe'), e)).toBe(false);
  });

  it('cased tests compare the raw value', () => {
    expect(matches(str(cmd, 'contains', 'WhoAmI', true), e)).toBe(true);
    expect(matches(str(cmd, 'contains', 'whoami', true), e)).toBe(false);
    expect(matches(str(cmd, 'eq', 'CMD.exe /c WhoAmI', true), e)).toBe(true);
    expect(matches(str(cmd, 'startswith', 'cmd', true), e)).toBe(false);
    expect(matches(str(cmd, 'endswith', 'AmI', true), e)).toBe(true);
  });

  it('value lists (an OR on one field) keep each mode and case sensitivity', () => {
    const list = or(str(cmd, 'eq', 'x'), str(cmd, 'startswith', 'powershell'), str(cmd, 'endswith', 'whoami'), str(cmd, 'contains', 'zzz'));
    expect(matches(list, e)).toBe(true);
    expect(matches(list, proc({ commandLine: 'x' }))).toBe(true);
    expect(matches(list, proc({ commandLine: 'notepad' }))).toBe(false);
    const mixed = or(str(cmd, 'contains', 'WHOAMI', true), str(cmd, 'contains', 'nothing'), str(cmd, 'eq', 'NOTEPAD', true));
    expect(matches(mixed, e)).toBe(false);
    expect(matches(mixed, proc({ commandLine: 'NOTEPAD' }))).toBe(true);
  });

  it('value lists agree with their tests taken one by one (random lists, path tails)', () => {
    const rnd = mulberry32(3);
    const pick = (xs: string) => xs[Math.floor(rnd() * xs.length)] as string;
    const word = (n: number) => Array.from({ length: n }, () => pick('aB\\/.')).join('');
    const modes = ['eq', 'contains', 'startswith', 'endswith'] as const;
    let hits = 0;
    for (let round = 0; round < 200; round++) {
      const cased = rnd() < 0.3;
      const tests = Array.from({ length: 2 + Math.floor(rnd() * 12) }, () => {
        const value = (rnd() < 0.5 ? pick('\\/') : '') + word(Math.floor(rnd() * 4));
        return str(cmd, modes[Math.floor(rnd() * 4)] as (typeof modes)[number], cased ? value : value.toLowerCase(), cased);
      });
      const rules = [rule('list', or(...tests)), ...tests.map((t, i) => rule(`t${i}`, t))];
      const set = built(rules);
      for (let k = 0; k < 20; k++) {
        const hitRules = new Set(set.match([proc({ commandLine: word(Math.floor(rnd() * 9)) })]).map((h) => h.rule));
        const any = [...hitRules].some((r) => r > 0);
        expect(hitRules.has(0)).toBe(any);
        if (any) hits++;
      }
    }
    expect(hits).toBeGreaterThan(500);
  });

  it('an absent field is the empty string', () => {
    expect(matches(str('process.description', 'eq', ''), e)).toBe(true);
    expect(matches(str('process.description', 'contains', 'a'), e)).toBe(false);
  });
});

describe('glob tests', () => {
  const img = 'process.image';
  const e = proc({ image: 'C:\\Windows\\System32\\cmd.exe' });
  const glob = (pattern: string, cased = false) => field(img, { t: 'glob', pattern, cased });
  it('* matches any run, ? one character, anchored at both ends', () => {
    expect(matches(glob('c:\\windows\\*\\cmd.exe'), e)).toBe(true);
    expect(matches(glob('*\\cm?.exe'), e)).toBe(true);
    expect(matches(glob('*\\c?.exe'), e)).toBe(false);
    expect(matches(glob('*system32*'), e)).toBe(true);
    expect(matches(glob('system32*'), e)).toBe(false);
    expect(matches(glob('*cmd'), e)).toBe(false);
    expect(matches(glob('*'), proc({ image: '' }))).toBe(true);
    expect(matches(glob('?*'), proc({ image: '' }))).toBe(false);
  });

  it('escapes every other character, and * spans newlines', () => {
    expect(matches(glob('a.b(c)[d]{2}+$^|/e*'), proc({ image: 'a.b(c)[d]{2}+$^|/e' }))).toBe(true);
    expect(matches(glob('a.b*'), proc({ image: 'axb' }))).toBe(false);
    expect(matches(glob('a*b'), proc({ image: 'a\nline\nb' }))).toBe(true);
    expect(matches(glob('a?b'), proc({ image: 'a\nb' }))).toBe(true);
  });

  it('is case-insensitive unless cased', () => {
    expect(matches(glob('*\\SYSTEM32\\*'), e)).toBe(true);
    expect(matches(glob('*\\System32\\*', true), e)).toBe(true);
    expect(matches(glob('*\\system32\\*', true), e)).toBe(false);
  });
});

describe('re tests', () => {
  it('run on the raw value with the given flags', () => {
    const e = proc({ commandLine: 'powershell -EncodedCommand SQBFAFgA' });
    expect(matches(field(cmd, { t: 're', source: '-enc\\w*\\s+[A-Za-z0-9+/=]{8}', flags: 'i' }), e)).toBe(true);
    expect(matches(field(cmd, { t: 're', source: '-enc\\w*\\s', flags: '' }), e)).toBe(false);
    expect(matches(field(cmd, { t: 're', source: '^powershell', flags: '' }), e)).toBe(true);
    expect(matches(field(cmd, { t: 're', source: '^-e', flags: 'm' }), proc({ commandLine: 'a\n-e' }))).toBe(true);
  });

  it('are guarded without changing their answer: letterless runs on the raw value, shortest match, class runs', () => {
    const env = field(cmd, { t: 're', source: '\\$\\{`?e`?n`?v`?:`?p`?a`?t`?h`?\\}', flags: 'i' });
    expect(matches(env, proc({ commandLine: 'echo ${E`NV:Path}' }))).toBe(true);
    expect(matches(env, proc({ commandLine: 'echo $ {env:path}' }))).toBe(false);
    const long = field(cmd, { t: 're', source: '.{20,}', flags: '' });
    expect(matches(long, proc({ commandLine: 'x'.repeat(20) }))).toBe(true);
    expect(matches(long, proc({ commandLine: `${'x'.repeat(19)}\n${'x'.repeat(19)}` }))).toBe(false);
    const hex = field(cmd, { t: 're', source: '\\s[a-f0-9]{16}\\s', flags: 'i' });
    expect(matches(hex, proc({ commandLine: `run ${'aB3'.repeat(5)}C x` }))).toBe(true);
    expect(matches(hex, proc({ commandLine: `run ${'aB3'.repeat(5)} x` }))).toBe(false);
    expect(matches(hex, proc({ commandLine: `run ${'aB3'.repeat(5)}G x` }))).toBe(false);
  });
});

describe('cidr tests', () => {
  const dst = 'network.destination_ip';
  const cidr = (c: string) => field(dst, { t: 'cidr', cidr: c });
  const nc = 'network_connection';
  it('IPv4', () => {
    expect(matches(cidr('10.0.0.0/8'), conn('10.200.3.4'), nc)).toBe(true);
    expect(matches(cidr('10.0.0.0/8'), conn('11.0.0.1'), nc)).toBe(false);
    expect(matches(cidr('192.168.1.0/24'), conn('192.168.1.255'), nc)).toBe(true);
    expect(matches(cidr('192.168.1.0/24'), conn('192.168.2.0'), nc)).toBe(false);
    expect(matches(cidr('0.0.0.0/0'), conn('8.8.8.8'), nc)).toBe(true);
    expect(matches(cidr('8.8.8.8/32'), conn('8.8.8.8'), nc)).toBe(true);
    expect(matches(cidr('8.8.8.8/32'), conn('8.8.8.9'), nc)).toBe(false);
    expect(matches(cidr('10.0.0.0/8'), conn('not an ip'), nc)).toBe(false);
    expect(matches(cidr('10.0.0.0/8'), conn('fe80::1'), nc)).toBe(false);
  });

  it('IPv6, with :: and an embedded IPv4 tail', () => {
    expect(matches(cidr('fe80::/10'), conn('fe80::1'), nc)).toBe(true);
    expect(matches(cidr('fe80::/10'), conn('FEBF:0:0:0:0:0:0:1'), nc)).toBe(true);
    expect(matches(cidr('fe80::/10'), conn('fec0::1'), nc)).toBe(false);
    expect(matches(cidr('::1/128'), conn('::1'), nc)).toBe(true);
    expect(matches(cidr('2001:db8::/32'), conn('2001:db8:ffff::1%eth0'), nc)).toBe(true);
    expect(matches(cidr('64:ff9b::/96'), conn('64:ff9b::192.0.2.33'), nc)).toBe(true);
    expect(matches(cidr('fe80::/10'), conn('10.0.0.1'), nc)).toBe(false);
  });

  it('an IPv4 network matches IPv4-mapped IPv6 addresses', () => {
    expect(matches(cidr('10.0.0.0/8'), conn('::ffff:10.1.2.3'), nc)).toBe(true);
    expect(matches(cidr('10.0.0.0/8'), conn('::ffff:11.1.2.3'), nc)).toBe(false);
    expect(matches(cidr('10.0.0.0/8'), conn('::fffe:10.1.2.3'), nc)).toBe(false);
  });

  it('source and destination follow the direction', () => {
    const inbound = conn('203.0.113.9', 443, Direction.DIRECTION_INBOUND);
    expect(matches(field('network.source_ip', { t: 'cidr', cidr: '203.0.113.0/24' }), inbound, nc)).toBe(true);
    expect(matches(field(dst, { t: 'cidr', cidr: '10.0.0.5/32' }), inbound, nc)).toBe(true);
  });
});

describe('num tests', () => {
  const num = (f: 'network.destination_port' | 'process.pid' | 'process.logon_id', cmp: 'eq' | 'gt' | 'gte' | 'lt' | 'lte', value: number) =>
    field(f, { t: 'num', cmp, value });
  it('compare number fields', () => {
    const e = conn('1.2.3.4', 4444);
    const nc = 'network_connection';
    expect(matches(num('network.destination_port', 'eq', 4444), e, nc)).toBe(true);
    expect(matches(num('network.destination_port', 'gt', 4443), e, nc)).toBe(true);
    expect(matches(num('network.destination_port', 'gt', 4444), e, nc)).toBe(false);
    expect(matches(num('network.destination_port', 'gte', 4444), e, nc)).toBe(true);
    expect(matches(num('network.destination_port', 'lt', 4444), e, nc)).toBe(false);
    expect(matches(num('network.destination_port', 'lte', 4444), e, nc)).toBe(true);
  });

  it('an absent number matches no comparison', () => {
    const e = proc({ process: { pid: 0 } });
    expect(matches(num('process.pid', 'eq', 0), e)).toBe(false);
    expect(matches(num('process.pid', 'lt', 10), e)).toBe(false);
    expect(matches(num('process.pid', 'eq', 100), proc())).toBe(true);
  });

  it('parse string fields holding a number', () => {
    expect(matches(num('process.logon_id', 'eq', 999), proc({ logonId: '0x3e7' }))).toBe(true);
    expect(matches(num('process.logon_id', 'gt', 5), proc({ logonId: ' 12 ' }))).toBe(true);
    expect(matches(num('process.logon_id', 'lt', 5), proc({ logonId: '' }))).toBe(false);
    expect(matches(num('process.logon_id', 'lt', 5), proc({ logonId: 'abc' }))).toBe(false);
  });
});

describe('exists and empty', () => {
  const desc = 'process.description';
  it('exists: non-empty; exists false: empty', () => {
    expect(matches(field(desc, { t: 'exists', value: true }), proc({ description: 'x' }))).toBe(true);
    expect(matches(field(desc, { t: 'exists', value: true }), proc({ description: '' }))).toBe(false);
    expect(matches(field(desc, { t: 'exists', value: false }), proc({ description: '' }))).toBe(true);
    expect(matches(field('process.pid', { t: 'exists', value: true }), proc())).toBe(true);
    expect(matches(field('process.pid', { t: 'exists', value: true }), proc({ process: { pid: 0 } }))).toBe(false);
  });

  it('empty: the empty string or an absent number', () => {
    expect(matches(field(desc, { t: 'empty' }), proc({ description: '' }))).toBe(true);
    expect(matches(field(desc, { t: 'empty' }), proc({ description: 'x' }))).toBe(false);
    expect(matches(field('parent.pid', { t: 'empty' }), proc({ parent: { pid: 0 } }))).toBe(true);
    expect(matches(field('parent.pid', { t: 'empty' }), proc())).toBe(false);
  });
});

describe('fieldref', () => {
  const ref = (mode: 'eq' | 'contains' | 'startswith' | 'endswith', cased = false) =>
    field('parent.image', { t: 'fieldref', other: 'process.image', mode, cased });
  it('compares two fields of the event', () => {
    expect(matches(ref('eq'), proc({ image: 'C:\\A.exe', parentImage: 'c:\\a.EXE' }))).toBe(true);
    expect(matches(ref('eq', true), proc({ image: 'C:\\A.exe', parentImage: 'c:\\a.EXE' }))).toBe(false);
    expect(matches(ref('eq'), proc({ image: 'C:\\A.exe', parentImage: 'C:\\B.exe' }))).toBe(false);
    expect(matches(ref('contains'), proc({ image: 'a.exe', parentImage: 'c:\\A.EXE' }))).toBe(true);
    expect(matches(ref('startswith'), proc({ image: 'c:\\', parentImage: 'c:\\a.exe' }))).toBe(true);
    expect(matches(ref('endswith'), proc({ image: 'c:\\', parentImage: 'c:\\a.exe' }))).toBe(false);
  });

  it('an empty field equals nothing', () => {
    expect(matches(ref('eq'), proc({ image: '', parentImage: '' }))).toBe(false);
  });

  it('equal when lower-cased, even at different raw lengths ("İ" lower-cases to two characters)', () => {
    // Unequal lengths are unequal without lower-casing, but for "İ".
    expect(matches(ref('eq'), proc({ image: 'C:\\İ.exe', parentImage: 'c:\\i\u0307.EXE' }))).toBe(true);
    expect(matches(ref('eq'), proc({ image: 'c:\\i\u0307.EXE', parentImage: 'C:\\İ.exe' }))).toBe(true);
    expect(matches(ref('eq'), proc({ image: 'C:\\İ.exe', parentImage: 'c:\\i.exe' }))).toBe(false);
    expect(matches(ref('eq'), proc({ image: 'C:\\\u212a.exe', parentImage: 'c:\\k.exe' }))).toBe(true);
    expect(matches(ref('eq'), proc({ image: 'C:\\A.exe', parentImage: 'C:\\AB.exe' }))).toBe(false);
  });
});

describe('keywords', () => {
  it('hold when any string field of the event passes the test', () => {
    const kw = { op: 'keyword' as const, test: { t: 'str' as const, mode: 'contains' as const, value: 'mimikatz', cased: false } };
    expect(matches(kw, proc({ parentCommandLine: 'run MimiKatz.exe' }))).toBe(true);
    expect(matches(kw, proc({ description: 'mimikatz' }))).toBe(true);
    expect(matches(kw, proc())).toBe(false);
    expect(matches(kw, { host: 'h', dns: { queryName: 'mimikatz.example' } }, 'dns_query')).toBe(true);
  });

  it('take glob and re tests', () => {
    const glob = { op: 'keyword' as const, test: { t: 'glob' as const, pattern: '*sekurlsa::*', cased: false } };
    expect(matches(glob, proc({ commandLine: 'x SEKURLSA::logonpasswords' }))).toBe(true);
    const re = { op: 'keyword' as const, test: { t: 're' as const, source: 'Invoke-\\w+', flags: '' } };
    expect(matches(re, proc({ parentCommandLine: 'Invoke-Mimikatz' }))).toBe(true);
    expect(matches(re, proc({ parentCommandLine: 'invoke-mimikatz' }))).toBe(false);
  });
});

describe('nodes', () => {
  const e = proc({ image: 'C:\\x\\powershell.exe', commandLine: 'powershell -nop -w hidden' });
  const ps = str('process.image', 'endswith', '\\powershell.exe');
  const hidden = str(cmd, 'contains', '-w hidden');
  const enc = str(cmd, 'contains', '-enc');
  it('and, or, not', () => {
    expect(matches(and(ps, hidden), e)).toBe(true);
    expect(matches(and(ps, hidden, enc), e)).toBe(false);
    expect(matches(or(enc, hidden), e)).toBe(true);
    expect(matches(or(enc, str(cmd, 'contains', 'zzz'), str('process.image', 'contains', 'yyy')), e)).toBe(false);
    expect(matches(and(ps, not(enc)), e)).toBe(true);
    expect(matches(and(ps, not(hidden)), e)).toBe(false);
    expect(matches(not(not(ps)), e)).toBe(true);
  });

  it('empty and/or, and const', () => {
    expect(matches(and(), e)).toBe(true);
    expect(matches(or(), e)).toBe(false);
    expect(matches({ op: 'const', value: true }, e)).toBe(true);
    expect(matches({ op: 'const', value: false }, e)).toBe(false);
    expect(matches(or(enc, { op: 'const', value: true }), e)).toBe(true);
    expect(matches(and(ps, { op: 'const', value: false }), e)).toBe(false);
  });

  it('a rule never matches events of another category', () => {
    expect(matches({ op: 'const', value: true }, conn('1.2.3.4'))).toBe(false);
    expect(matches(str('process.image', 'endswith', 'curl'), conn('1.2.3.4'))).toBe(false);
    expect(matches(str('process.image', 'endswith', 'curl'), conn('1.2.3.4'), 'network_connection')).toBe(true);
    expect(matches({ op: 'const', value: true }, { processExit: { image: 'x' } })).toBe(false);
  });
});
