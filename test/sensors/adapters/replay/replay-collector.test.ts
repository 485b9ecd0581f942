import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Event } from '../../../../common/events.js';
import type { VigieProblem } from '../../../../common/errors.js';
import type { CollectorSink } from '../../../../sensors/collectors/collector.js';
import { Pacer, ReplayCollector, groupByHost, replayCollectorsByHost } from '../../../../sensors/adapters/replay/index.js';
import { tempDir } from '../../../helpers/fixtures.js';
import { fixture } from '../helpers.js';

const tmp = tempDir('replay-collector');
afterAll(() => tmp.remove());

class RecordingSink implements CollectorSink {
  readonly calls: { at: number; events: Event[] }[] = [];
  readonly problems: VigieProblem[] = [];
  events(events: Event[]): void {
    this.calls.push({ at: performance.now(), events });
  }
  problem(problem: VigieProblem): void {
    this.problems.push(problem);
  }
  get all(): Event[] {
    return this.calls.flatMap((c) => c.events);
  }
}

/** Sysmon EID 5 records on `hosts` hosts, `gapMs` apart in recorded time. */
function writeLog(name: string, n: number, hosts: number, gapMs: number): string {
  const lines = Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      Channel: 'Microsoft-Windows-Sysmon/Operational',
      EventID: 5,
      Hostname: `h${i % hosts}`,
      UtcTime: new Date(Date.UTC(2024, 0, 1) + i * gapMs).toISOString(),
      ProcessId: String(i + 1),
      Image: '/bin/true',
    }),
  );
  const path = join(tmp.path, name);
  writeFileSync(path, lines.join('\n'));
  return path;
}

describe('ReplayCollector', () => {
  it('is a Collector named "replay" in mode "sysmon" that plays a whole file, each array from one host', async () => {
    const sink = new RecordingSink();
    const c = new ReplayCollector({ file: writeLog('fast.jsonl', 2500, 3, 10), chunkSize: 1000 });
    expect([c.name, c.mode]).toEqual(['replay', 'sysmon']);
    await c.start(sink);
    const stats = await c.done;
    expect(stats?.events).toBe(2500);
    expect(sink.all.map((e) => e.processExit?.process?.pid)).toHaveLength(2500);
    for (const call of sink.calls) expect(new Set(call.events.map((e) => e.host)).size).toBe(1);
    // per host, order is kept
    const h1 = sink.all.filter((e) => e.host === 'h1').map((e) => Number(e.timeMs));
    expect(h1).toEqual([...h1].sort((a, b) => a - b));
  });

  it('hands problems to the sink', async () => {
    const sink = new RecordingSink();
    const c = new ReplayCollector({ file: fixture('windows.jsonl') });
    await c.start(sink);
    await c.done;
    expect(sink.problems.map((p) => p.location?.line)).toEqual([9, 10, 11, 13]);
    expect(sink.all).toHaveLength(6);
  });

  it('paces by recorded time divided by speed', async () => {
    const sink = new RecordingSink();
    // 6 events 1 s apart at speed 20: about 250 ms from first to last
    const c = new ReplayCollector({ file: writeLog('paced.jsonl', 6, 1, 1000), speed: 20 });
    const t0 = performance.now();
    await c.start(sink);
    await c.done;
    const elapsed = performance.now() - t0;
    expect(sink.all).toHaveLength(6);
    expect(elapsed).toBeGreaterThanOrEqual(240);
    expect(elapsed).toBeLessThan(2000);
    expect(sink.calls.length).toBeGreaterThanOrEqual(5); // not one burst
  });

  it('stops promptly in the middle of a paced replay, and stop() is idempotent', async () => {
    const sink = new RecordingSink();
    const c = new ReplayCollector({ file: writeLog('slow.jsonl', 100, 1, 1000), speed: 1 });
    await c.start(sink);
    await new Promise((r) => setTimeout(r, 50));
    const t0 = performance.now();
    await c.stop();
    await c.stop();
    expect(performance.now() - t0).toBeLessThan(500);
    expect(sink.all.length).toBeLessThan(5);
    await new Promise((r) => setTimeout(r, 1100));
    expect(sink.all.length).toBeLessThan(5); // nothing after stop
  });

  it('refuses a bad speed at construction', () => {
    expect(() => new ReplayCollector({ file: 'x', speed: 0 })).toThrow(RangeError);
  });

  it('makes one collector per host of a file', async () => {
    const file = writeLog('fleet.jsonl', 30, 3, 10);
    const { collectors, hosts } = await replayCollectorsByHost(file);
    expect([...collectors.keys()]).toEqual(['h0', 'h1', 'h2']);
    expect(hosts.hosts.map((h) => h.events)).toEqual([10, 10, 10]);
    const sink = new RecordingSink();
    const h2 = collectors.get('h2');
    await h2?.start(sink);
    await h2?.done;
    expect(sink.all).toHaveLength(10);
    expect(sink.all.every((e) => e.host === 'h2')).toBe(true);
  });
});

describe('pacing and grouping', () => {
  it('clamps recorded gaps to [0, maxGapMs] and divides by speed', () => {
    const p = new Pacer(2, 10_000);
    expect(p.dueOffset(1_000_000)).toBe(0);
    expect(p.dueOffset(1_001_000)).toBe(500); // 1 s at 2x
    expect(p.dueOffset(1_000_500)).toBe(500); // backwards: due at once
    expect(p.dueOffset(1_001_500)).toBe(1000); // and the timeline goes on from there
    expect(p.dueOffset(9_000_000_000)).toBe(6000); // years of silence cost maxGapMs / speed
  });

  it('groups by host keeping each host order', () => {
    const e = (host: string, timeMs: number): Event => ({ host, timeMs });
    expect(groupByHost([e('a', 1), e('b', 2), e('a', 3)])).toEqual([[e('a', 1), e('a', 3)], [e('b', 2)]]);
  });
});
