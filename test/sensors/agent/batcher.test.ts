import { describe, expect, it, vi } from 'vitest';
import { Batcher } from '../../../sensors/agent/batcher.js';

describe('batcher', () => {
  it('cuts at the event bound', () => {
    const frames: number[] = [];
    const b = new Batcher(3, 10_000, (e) => frames.push(e.length));
    b.add(Array.from({ length: 7 }, (_, i) => ({ timeMs: i })));
    expect(frames).toEqual([3, 3]);
    expect(b.size).toBe(1);
    b.flush();
    expect(frames).toEqual([3, 3, 1]);
  });
  it('cuts at the time bound', () => {
    vi.useFakeTimers();
    try {
      const frames: number[] = [];
      const b = new Batcher(100, 50, (e) => frames.push(e.length));
      b.add([{ timeMs: 1 }, { timeMs: 2 }]);
      vi.advanceTimersByTime(49);
      expect(frames).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(frames).toEqual([2]);
    } finally {
      vi.useRealTimers();
    }
  });
});
