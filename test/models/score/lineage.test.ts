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
});
