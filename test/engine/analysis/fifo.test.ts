import { describe, expect, it } from 'vitest';
import { Fifo } from '../../../engine/analysis/fifo.js';

describe('Fifo', () => {
  it('keeps push order across drops and compactions, and counts what it dropped', () => {
    const f = new Fifo<number>();
    expect(f.peek()).toBeUndefined();
    for (let i = 0; i < 10_000; i++) f.push(i);
    f.drop(3);
    expect([f.peek(), f.dropped, f.length]).toEqual([3, 3, 9997]);
    f.drop(5000); // past the compaction point
    expect([f.peek(), f.dropped, f.length]).toEqual([5003, 5003, 4997]);
    f.push(10_000);
    f.drop(0);
    f.drop(-2);
    expect(f.peek()).toBe(5003);
    f.drop(1e9); // never more than it holds
    expect([f.peek(), f.dropped, f.length]).toEqual([undefined, 10_001, 0]);
  });
});
