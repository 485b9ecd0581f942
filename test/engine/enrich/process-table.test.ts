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
  it("names a node by processKey()'s text, made when asked for, and finds it by that text only", () => {
    const table = new ProcessTable();
    table.apply('h', [start(7, 1_700_000_000_123, 1, 5, 'sh'), { timeMs: 1_700_000_000_999, processExit: { process: { pid: 7, startTimeMs: 1_700_000_000_123 } } }]);
    const node = table.get('h', '7:1700000000123')!;
    expect([node.key, node.parentKey, node.exitedMs]).toEqual(['7:1700000000123', '1:5', 1_700_000_000_999]);
    for (const bad of ['7', '7:', 'x:1700000000123', '', '7:1700000000124']) expect(table.get('h', bad), bad).toBeUndefined();
    // a start without a parent reference has the parent '0:0', as processKey(undefined)
    table.apply('h', [{ timeMs: 1, processStart: { process: { pid: 9, startTimeMs: 1 }, image: 'orphan' } }]);
    expect(table.get('h', '9:1')?.parentKey).toBe('0:0');
    // reported again: the later report replaces the node (an exit seen before is forgotten with it)
    table.apply('h', [start(7, 1_700_000_000_123, 1, 5, 'sh (again)')]);
    expect(table.get('h', '7:1700000000123')).toMatchObject({ image: 'sh (again)', exitedMs: 0 });
    expect(table.size.processes).toBe(2);
  });
});
