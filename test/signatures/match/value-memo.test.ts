import { describe, expect, it } from 'vitest';
import { ValueMemo } from '../../../signatures/match/value-memo.js';

describe('ValueMemo', () => {
  it('remembers values by content, not identity', () => {
    const memo = new ValueMemo(16);
    expect(memo.find('C:\\Windows\\cmd.exe')).toBe(-1);
    memo.put(memo.free, 'C:\\Windows\\cmd.exe', 3);
    const copy = ['C:\\Windows\\', 'cmd.exe'].join('');
    const slot = memo.find(copy);
    expect(slot).toBeGreaterThanOrEqual(0);
    expect(memo.payload[slot]).toBe(3);
    expect(memo.find('C:\\Windows\\cmd.exE')).toBe(-1);
    expect([memo.lookups, memo.hits]).toEqual([3, 1]);
  });

  it('tells apart values with the same fingerprint, and stops storing when its probes are full', () => {
    const memo = new ValueMemo(4);
    // Same length and same sampled characters (every 8th of 64, and the last): one fingerprint.
    const values = ['a', 'b', 'c', 'd', 'e'].map((x) => 'x'.repeat(10) + x + 'x'.repeat(53));
    for (const [i, v] of values.slice(0, 4).entries()) {
      expect(memo.find(v)).toBe(-1);
      memo.put(memo.free, v, i);
    }
    for (const [i, v] of values.slice(0, 4).entries()) expect(memo.payload[memo.find(v)]).toBe(i);
    expect(memo.find(values[4] as string)).toBe(-1);
    expect(memo.free).toBe(-1);
  });

  it('forgets everything on clear', () => {
    const memo = new ValueMemo(8);
    memo.find('abc');
    memo.put(memo.free, 'abc', 0);
    memo.clear();
    expect(memo.find('abc')).toBe(-1);
    expect([memo.lookups, memo.hits, memo.size]).toEqual([1, 0, 0]);
  });
});
