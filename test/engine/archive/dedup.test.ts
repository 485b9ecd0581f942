import { describe, expect, it } from 'vitest';
import { DedupIndex, markOf, SegmentKeys } from '../../../engine/archive/dedup.js';

describe('dedup rule', () => {
  it('is a duplicate iff archived or below the low-water mark; pending counts as present', () => {
    const d = new DedupIndex<string>();
    expect(d.lookup('s', 0)).toBe('new');
    d.addPending('s', 0, 'w0');
    expect(d.lookup('s', 0)).toEqual({ pending: 'w0' });
    d.markDurable('s', 0, markOf(0, 0));
    expect(d.lookup('s', 0)).toBe('durable');
    d.markDurable('s', 10, markOf(10, 7));
    expect(d.isDuplicate('s', 6)).toBe(true); // never archived, but below the mark
    expect(d.isDuplicate('s', 7)).toBe(false);
    expect(d.isDuplicate('other', 6)).toBe(false);
  });

  it('releases a failed write so a re-send can be stored', () => {
    const d = new DedupIndex<string>();
    d.addPending('s', 3, 'w3');
    d.releasePending('s', 3);
    expect(d.lookup('s', 3)).toBe('new');
    expect(d.size()).toEqual({ sensors: 0, keys: 0 });
  });

  it('clamps a mark to the batch seq and prunes the set below the mark', () => {
    expect(markOf(5, 9)).toBe(5);
    const d = new DedupIndex<never>();
    for (let seq = 0; seq < 10_000; seq++) d.markDurable('s', seq, markOf(seq, seq - 10));
    expect(d.size().keys).toBeLessThan(200);
    expect(d.digest()).toEqual({ s: [9989, [...Array(11).keys()].map((i) => 9989 + i)] });
  });

  it('merges digests idempotently, in any order', () => {
    const a = new SegmentKeys();
    a.add('s', 1, 0);
    a.add('s', 2, 0);
    const b = new SegmentKeys();
    b.add('s', 3, 2);
    b.add('t', 8, 8);
    const x = new DedupIndex<never>();
    x.merge(a.digest());
    x.merge(b.digest());
    x.merge(a.digest());
    const y = new DedupIndex<never>();
    y.merge(b.digest());
    y.merge(a.digest());
    expect(x.digest()).toEqual({ s: [2, [2, 3]], t: [8, [8]] });
    expect(y.digest()).toEqual(x.digest());
  });
});
