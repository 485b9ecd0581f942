import { describe, expect, it } from 'vitest';
import { LineageScores } from '../../../models/score/lineage.js';

describe('LineageScores', () => {
  it('a child inherits a decayed share of its parent, which carries its own ancestors', () => {
    const l = new LineageScores({ decay: 0.5 });
    expect(l.process('h', 'implant', 'explorer', 8).score).toBe(8);
    expect(l.process('h', 'cmd', 'implant', 1)).toEqual({ score: 4, inherited: 4 });
    expect(l.process('h', 'whoami', 'cmd', 0.1).score).toBe(2);
    // its own score wins when higher
    expect(l.process('h', 'odd', 'cmd', 3).score).toBe(3);
    // unknown parent: own score only; other host: nothing inherited
    expect(l.process('h', 'x', 'nobody', 0.2).score).toBe(0.2);
    expect(l.process('other', 'y', 'implant', 0.3).score).toBe(0.3);
  });

  it('a network window takes max(own, decay * its process)', () => {
    const l = new LineageScores({ decay: 0.9 });
    l.process('h', 'p', 'root', 2);
    expect(l.network('h', 'p', 0.5).score).toBeCloseTo(1.8);
    expect(l.network('h', 'p', 3).score).toBe(3);
    expect(l.network('h', 'unknown', 0.5).score).toBe(0.5);
  });

  it('decay 0 turns lineage off; a decay of 1 or more is refused', () => {
    const l = new LineageScores({ decay: 0 });
    l.process('h', 'p', 'root', 9);
    expect(l.process('h', 'c', 'p', 0.1).score).toBe(0.1);
    expect(() => new LineageScores({ decay: 1 })).toThrow(RangeError);
  });

  it('stays bounded per host (oldest first out) and in hosts', () => {
    const l = new LineageScores({ decay: 0.5, maxProcessesPerHost: 16, maxHosts: 2 });
    l.process('h', 'first', 'root', 10);
    for (let i = 0; i < 16; i++) l.process('h', `p${i}`, 'root', 0);
    expect(l.process('h', 'child', 'first', 0).score).toBe(0); // 'first' was evicted
    l.process('a', 'x', 'r', 1);
    l.process('b', 'x', 'r', 1);
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
    // the text key of the same process is another name: the two ways do not meet
    expect(l.network('h', '101:1001', 1).score).toBe(1);
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
});
