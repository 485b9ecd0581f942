/**
 * The prefilter scans a batch field by field before any rule runs (batch-scan.ts): values shared
 * by events (consecutive or not), events of several categories in one batch, values it cannot
 * fold, and fields whose values never repeat must all give the hits of the naive mode.
 */
import { describe, expect, it } from 'vitest';
import type { Event } from '../../../common/events.js';
import { built, conn, or, proc, rule, str } from './rules.js';

const cmd = 'process.command_line';
const rules = [
  rule('enc', str(cmd, 'contains', '-enc')),
  rule('who', or(str(cmd, 'contains', 'whoami'), str('process.image', 'endswith', '\\whoami.exe'))),
  rule('dot', str(cmd, 'contains', 'i\u0307x')), // what "İX" lower-cases to
  rule('dns', str('dns.query_name', 'endswith', '.evil.example'), 'dns_query'),
  rule('net', str('process.image', 'endswith', '\\curl'), 'network_connection'),
];

function check(events: Event[]): number {
  const fast = built(rules);
  const naive = built(rules, { prefilter: false });
  const expected = naive.match(events);
  expect(fast.match(events)).toEqual(expected);
  // Twice: nothing of a batch may leak into the next.
  expect(fast.match(events)).toEqual(expected);
  return expected.length;
}

describe('batch scans', () => {
  it('share results between events with the same values, in a row or not', () => {
    const a = proc({ commandLine: 'powershell -ENC AAAA' });
    const b = proc({ commandLine: 'cmd /c WHOAMI' });
    const c = proc({ commandLine: 'notepad' });
    expect(check([a, a, b, a, c, b, c, c, a])).toBe(6);
  });

  it('mix categories in one batch', () => {
    const events: Event[] = [
      proc({ commandLine: 'whoami' }),
      { host: 'h', dns: { queryName: 'x.EVIL.example', image: 'C:\\whoami.exe' } },
      conn('10.0.0.1'),
      { host: 'h', network: { image: 'C:\\bin\\curl', commandLine: 'whoami' } },
      { host: 'h' },
      proc({ image: 'C:\\Windows\\whoami.exe', commandLine: '' }),
    ];
    expect(check(events)).toBe(4);
  });

  it('scan the lower-cased value when a character cannot be folded ("İ"), every time it occurs', () => {
    const odd = proc({ commandLine: 'echo İX -enc' });
    expect(check([odd, proc(), odd, odd])).toBe(7); // proc()'s command line runs whoami
  });

  it('handle values that never repeat (the memo gives up) and empty ones', () => {
    const events = Array.from({ length: 300 }, (_, i) => proc({ commandLine: i % 7 === 0 ? `x${i} whoami` : i % 5 === 0 ? '' : `x${i}` }));
    expect(check(events)).toBe(43);
  });
});
