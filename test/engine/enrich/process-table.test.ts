import { describe, expect, it } from 'vitest';
import { ProcessTable } from '../../../engine/enrich/process-table.js';
import type { Event } from '../../../common/events.js';

const start = (pid: number, t: number, ppid: number, pt: number, image: string): Event => ({
  timeMs: t, processStart: { process: { pid, startTimeMs: t }, parent: { pid: ppid, startTimeMs: pt }, image },
});

describe('process table', () => {
  it('builds parent chains keyed by pid and start time', () => {
    const table = new ProcessTable();
    table.apply('h1', [start(1, 100, 0, 0, 'init'), start(50, 200, 1, 100, 'bash'), start(60, 300, 50, 200, 'curl')]);
    expect(table.ancestry('h1', '60:300').map((n) => n.image)).toEqual(['curl', 'bash', 'init']);
  });
  it('does not confuse a reused pid with its predecessor', () => {
    const table = new ProcessTable();
    table.apply('h1', [start(1, 100, 0, 0, 'init'), start(50, 200, 1, 100, 'old'), { timeMs: 250, processExit: { process: { pid: 50, startTimeMs: 200 } } },
      start(50, 400, 1, 100, 'new'), start(70, 500, 50, 200, 'child-of-old')]);
    expect(table.get('h1', '50:200')?.exitedMs).toBe(250);
    expect(table.get('h1', '50:400')?.exitedMs).toBe(0);
    expect(table.ancestry('h1', '70:500').map((n) => n.image)).toEqual(['child-of-old', 'old', 'init']);
  });
  it('keeps hosts apart and stays within its bounds (LRU)', () => {
    const table = new ProcessTable({ maxPerHost: 16, maxHosts: 2 });
    for (let i = 0; i < 100; i++) table.apply('h1', [start(1000 + i, i, 1, 0, 'p')]);
    table.apply('h2', [start(1, 1, 0, 0, 'x')]);
    table.apply('h3', [start(1, 1, 0, 0, 'y')]);
    expect(table.size.hosts).toBe(2);
    expect(table.get('h1', '1099:99')).toBeUndefined(); // h1 was least recently used and evicted
    expect(table.get('h3', '1:1')?.image).toBe('y');
    expect(table.evictedProcesses).toBe(84);
    expect(table.evictedHosts).toBe(1);
  });
  it('stops at a cycle in corrupt parent data', () => {
    const table = new ProcessTable();
    table.apply('h', [start(1, 10, 2, 20, 'a'), start(2, 20, 1, 10, 'b')]);
    expect(table.ancestry('h', '1:10')).toHaveLength(2);
  });
});
