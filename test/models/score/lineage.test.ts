import { describe, expect, it } from 'vitest';
import { LineageScores } from '../../../models/score/lineage.js';

describe('LineageScores', () => {
  // Processes by number: 1 explorer, 2 implant, 3 cmd, 4 whoami... (start time 0).
  const P = (l: LineageScores, host: string, pid: number, parent: number, own: number) => l.processOf(host, pid, 0, parent, 0, own);

  it('a child inherits a decayed share of its parent, which carries its own ancestors', () => {
    const l = new LineageScores({ decay: 0.5 });
    expect(P(l, 'h', 2, 1, 8)).toBe(8);
    expect(P(l, 'h', 3, 2, 1)).toBe(4);
    expect(l.lastInherited).toBe(4);
    expect(P(l, 'h', 4, 3, 0.1)).toBe(2);
    // its own score wins when higher
    expect(P(l, 'h', 5, 3, 3)).toBe(3);
    // unknown parent: own score only; other host: nothing inherited
    expect(P(l, 'h', 6, 99, 0.2)).toBe(0.2);
    expect(P(l, 'other', 7, 2, 0.3)).toBe(0.3);
  });

  it('a network window takes max(own, decay * its process)', () => {
    const l = new LineageScores({ decay: 0.9 });
    P(l, 'h', 10, 1, 2);
    expect(l.networkOf('h', 10, 0, 0.5)).toBeCloseTo(1.8);
    expect(l.networkOf('h', 10, 0, 3)).toBe(3);
    expect(l.networkOf('h', 11, 0, 0.5)).toBe(0.5);
  });

  it('decay 0 turns lineage off; a decay of 1 or more is refused', () => {
    const l = new LineageScores({ decay: 0 });
    P(l, 'h', 10, 1, 9);
    expect(P(l, 'h', 11, 10, 0.1)).toBe(0.1);
    expect(() => new LineageScores({ decay: 1 })).toThrow(RangeError);
  });

  it('stays bounded per host (oldest first out) and in hosts', () => {
    const l = new LineageScores({ decay: 0.5, maxProcessesPerHost: 16, maxHosts: 2 });
    P(l, 'h', 1, 0, 10);
    for (let i = 0; i < 16; i++) P(l, 'h', 100 + i, 0, 0);
    expect(P(l, 'h', 2, 1, 0)).toBe(0); // 1 was evicted
    P(l, 'a', 1, 0, 1);
    P(l, 'b', 1, 0, 1);
    expect(l.evicted).toBeGreaterThan(1);
  });

  it('names processes by pid and start time too: pid reuse, parents, windows, the inherited part', () => {
    const l = new LineageScores({ decay: 0.5 });
    expect(l.processOf('h', 100, 1000, 1, 0, 8)).toBe(8);
    expect(l.lastInherited).toBe(0);
    expect(l.processOf('h', 101, 1001, 100, 1000, 1)).toBe(4);
    expect(l.lastInherited).toBe(4);
    // pid 100 reused by another process: a different identity, the first keeps its score
    expect(l.processOf('h', 100, 2000, 1, 0, 0.5)).toBe(0.5);
    expect(l.processOf('h', 102, 2001, 100, 2000, 0)).toBe(0.25);
    expect(l.processOf('h', 103, 2002, 100, 1000, 0)).toBe(4);
    expect(l.networkOf('h', 101, 1001, 1)).toBe(2);
    expect(l.lastInherited).toBe(2);
    expect(l.networkOf('other', 101, 1001, 1)).toBe(1);
    // NaN identities find each other (as Map keys do)
    l.processOf('h', NaN, NaN, 0, 0, 6);
    expect(l.networkOf('h', NaN, NaN, 0)).toBe(3);
  });

  it('stays bounded by pid and start time, oldest first out, reused pids included', () => {
    const l = new LineageScores({ decay: 0.5, maxProcessesPerHost: 16 });
    l.processOf('h', 7, 1, 0, 0, 10);
    l.processOf('h', 7, 2, 0, 0, 6); // same pid, started later
    for (let i = 0; i < 15; i++) l.processOf('h', 1000 + i, i, 0, 0, 0);
    expect(l.evicted).toBe(1);
    expect(l.networkOf('h', 7, 1, 0)).toBe(0); // the oldest left
    expect(l.networkOf('h', 7, 2, 0)).toBe(3); // its pid's newer process stays
    l.processOf('h', 2000, 0, 0, 0, 0);
    expect(l.networkOf('h', 7, 2, 0)).toBe(0);
    expect(l.evicted).toBe(2);
    // a process seen again keeps its place and takes the new score
    l.processOf('h', 1001, 1, 0, 0, 4);
    expect(l.networkOf('h', 1001, 1, 0)).toBe(2);
    l.processOf('h', 2001, 0, 0, 0, 0);
    expect(l.evicted).toBe(3);
    expect(l.networkOf('h', 1001, 1, 0)).toBe(2); // 1000 left, not 1001
  });

  it('a window of a host first seen before its processes inherits once they are known', () => {
    const l = new LineageScores({ decay: 0.5, maxHosts: 2 });
    expect(l.networkOf('h', 10, 0, 0.1)).toBe(0.1); // no table for 'h' yet
    P(l, 'h', 10, 1, 4);
    expect(l.networkOf('h', 10, 0, 0.1)).toBe(2);
    // 'h' evicted by two other hosts: its windows inherit nothing any more
    P(l, 'a', 1, 0, 1);
    expect(l.networkOf('h', 10, 0, 0.1)).toBe(2);
    P(l, 'b', 1, 0, 1);
    expect(l.networkOf('h', 10, 0, 0.1)).toBe(0.1);
  });
});
