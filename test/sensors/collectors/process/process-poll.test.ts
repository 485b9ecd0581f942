/** The process collector's /proc polling mode on fixture trees. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VigieError } from '../../../../common/errors.js';
import { Source } from '../../../../common/events.js';
import type { Event } from '../../../../common/events.js';
import { EXIT_CODE_UNKNOWN, ProcessCollector } from '../../../../sensors/collectors/process/index.js';
import type { ProcessCollectorOptions } from '../../../../sensors/collectors/process/index.js';
import { FIXTURE_BOOT_MS, FIXTURE_UPTIME_TICKS, FakeProc } from '../../proc/fake-proc.js';
import { CollectSink } from '../collect-sink.js';

const KTHREAD = 0x00208040;
let fake: FakeProc;
let collector: ProcessCollector | undefined;

beforeEach(() => {
  fake = new FakeProc()
    .add({ pid: 1, ppid: 0, comm: 'init', startTicks: 1, exe: '/sbin/init', args: ['/sbin/init', 'splash'] })
    .add({ pid: 2, ppid: 0, comm: 'kthreadd', flags: KTHREAD, startTicks: 1 })
    .add({ pid: 50, ppid: 1, comm: 'sshd', startTicks: 300, exe: '/usr/sbin/sshd', args: ['sshd: /usr/sbin/sshd -D'] });
});
afterEach(async () => {
  await collector?.stop();
  collector = undefined;
  fake.cleanup();
});

async function start(options: ProcessCollectorOptions = {}): Promise<CollectSink> {
  const sink = new CollectSink();
  collector = new ProcessCollector({ mode: 'procfs-poll', procRoot: fake.procRoot, etcRoot: fake.etcRoot,
    pollIntervalMs: 10, selfPid: 900, host: 'fixture-host', ...options });
  await collector.start(sink);
  return sink;
}

const pidOf = (e: Event) => (e.processStart ?? e.processExit)?.process?.pid;
const startOf = (pid: number) => (e: Event) => e.processStart?.process?.pid === pid;
const exitOf = (pid: number) => (e: Event) => e.processExit?.process?.pid === pid;
const settle = (ms = 60) => new Promise((r) => setTimeout(r, ms));

describe('process collector, procfs-poll on a fixture tree', () => {
  it('reports a new process with its details, then its exit with the same identity', async () => {
    const sink = await start();
    expect(collector?.mode).toBe('procfs-poll');
    fake.add({ pid: 100, ppid: 50, comm: 'curl', startTicks: 60_000, uid: 1000, gid: 1000, exe: '/usr/bin/curl',
      cwd: '/home/alice', args: ['curl', '-s', 'http://example.test/a b'] });
    const started = await sink.waitFor(startOf(100), 2000, 'start of 100');
    expect(started).toEqual({
      timeMs: FIXTURE_BOOT_MS + 600_000,
      source: Source.SOURCE_PROCFS,
      host: 'fixture-host',
      processStart: {
        process: { pid: 100, startTimeMs: FIXTURE_BOOT_MS + 600_000 },
        parent: { pid: 50, startTimeMs: FIXTURE_BOOT_MS + 3000 },
        image: '/usr/bin/curl',
        commandLine: 'curl -s http://example.test/a b',
        cwd: '/home/alice',
        uid: 1000,
        gid: 1000,
        user: 'alice',
        parentImage: '/usr/sbin/sshd',
        parentCommandLine: 'sshd: /usr/sbin/sshd -D',
      },
    });
    fake.remove(100);
    const exited = await sink.waitFor(exitOf(100), 2000, 'exit of 100');
    expect(exited.processExit).toEqual({ process: started.processStart?.process, image: '/usr/bin/curl', exitCode: EXIT_CODE_UNKNOWN });
    expect(exited.source).toBe(Source.SOURCE_PROCFS);
    expect(sink.problems).toEqual([]);
  });

  it('knows processes that existed at start: no start for them, an exit when they go', async () => {
    const sink = await start();
    await settle();
    expect(sink.received).toEqual([]);
    fake.remove(50);
    const exited = await sink.waitFor(exitOf(50), 2000, 'exit of 50');
    expect(exited.processExit?.process).toEqual({ pid: 50, startTimeMs: FIXTURE_BOOT_MS + 3000 });
    expect(exited.processExit?.image).toBe('/usr/sbin/sshd');
  });

  it('a pid that vanished before its stat was read is skipped and counted, not a problem', async () => {
    const sink = await start();
    mkdirSync(join(fake.procRoot, '555')); // listed, but its files are gone
    fake.add({ pid: 556, ppid: 1, startTicks: 70_000, exe: '/bin/true', args: ['/bin/true'] });
    await sink.waitFor(startOf(556), 2000, 'start of 556');
    expect(sink.received.some((e) => pidOf(e) === 555)).toBe(false);
    expect(collector?.stats().vanished).toBeGreaterThanOrEqual(1);
    expect(sink.problems).toEqual([]);
  });

  it('never reports kernel threads', async () => {
    const sink = await start();
    fake.add({ pid: 3, ppid: 2, comm: 'kworker/0:1', flags: KTHREAD, startTicks: 80_000 });
    fake.add({ pid: 4, ppid: 1, startTicks: 80_001, exe: '/bin/ls', args: ['ls'] });
    await sink.waitFor(startOf(4), 2000);
    fake.remove(3);
    await settle();
    expect(sink.received.some((e) => pidOf(e) === 3)).toBe(false);
  });

  it('keeps the agent and its descendants quiet by default, only the agent with selfFilter "process"', async () => {
    fake.add({ pid: 900, ppid: 1, startTicks: 500, exe: '/usr/bin/node', args: ['node', 'vigie'] });
    const sink = await start();
    fake.add({ pid: 901, ppid: 900, startTicks: 81_000, exe: '/bin/sh', args: ['sh'] })
      .add({ pid: 902, ppid: 901, startTicks: 81_001, exe: '/bin/ls', args: ['ls'] })
      .add({ pid: 903, ppid: 1, startTicks: 81_002, exe: '/bin/date', args: ['date'] });
    await sink.waitFor(startOf(903), 2000);
    fake.remove(901).remove(902).remove(900);
    await settle();
    expect(sink.received.map(pidOf)).toEqual([903]);

    await collector?.stop();
    fake.add({ pid: 900, ppid: 1, startTicks: 500, exe: '/usr/bin/node', args: ['node', 'vigie'] });
    const sink2 = await start({ selfFilter: 'process' });
    fake.add({ pid: 901, ppid: 900, startTicks: 81_000, exe: '/bin/sh', args: ['sh'] });
    const child = await sink2.waitFor(startOf(901), 2000);
    expect(child.processStart?.parentImage).toBe('/usr/bin/node');
    expect(sink2.received.some((e) => pidOf(e) === 900)).toBe(false);
  });

  it('waits for the exec of a just-forked child still running its parent\'s image', async () => {
    const sink = await start();
    const young = FIXTURE_UPTIME_TICKS - 5; // 50 ms old
    fake.add({ pid: 60, ppid: 50, startTicks: young, exe: '/usr/sbin/sshd', args: ['sshd: /usr/sbin/sshd -D'] });
    await settle(80);
    expect(sink.received).toEqual([]);
    expect(collector?.stats().deferred).toBeGreaterThan(0);
    fake.add({ pid: 60, ppid: 50, startTicks: young, exe: '/bin/bash', args: ['-bash'] }); // the exec
    const s = await sink.waitFor(startOf(60), 2000);
    expect(s.processStart?.image).toBe('/bin/bash');
    expect(sink.received.filter(startOf(60))).toHaveLength(1);
  });

  it('a reused pid (new start time) is an exit and a start, found by the verify scan', async () => {
    const sink = await start({ verifyEvery: 1 });
    fake.add({ pid: 70, ppid: 1, startTicks: 50_000, exe: '/bin/a', args: ['a'] });
    const first = await sink.waitFor(startOf(70), 2000);
    fake.add({ pid: 70, ppid: 1, startTicks: 50_500, exe: '/bin/b', args: ['b'] });
    const exit = await sink.waitFor(exitOf(70), 2000);
    expect(exit.processExit?.process).toEqual(first.processStart?.process);
    await sink.waitFor((e) => startOf(70)(e) && e.processStart?.image === '/bin/b', 2000);
  });

  it('bounds its table: processes beyond it are counted and reported once as overflow, not repeated', async () => {
    const sink = await start({ maxTrackedProcesses: 16 });
    for (let i = 0; i < 20; i++) fake.add({ pid: 200 + i, ppid: 1, startTicks: 90_000 + i, exe: '/bin/x', args: ['x'] });
    await settle(120);
    const starts = sink.received.filter((e) => e.processStart);
    expect(starts.length).toBeLessThan(16);
    expect(new Set(starts.map(pidOf)).size).toBe(starts.length); // none reported twice
    expect(sink.problems.map((p) => p.code)).toEqual(['VIGIE_COLLECTOR_OVERFLOW']);
    expect(collector?.stats().refused).toBeGreaterThan(0);
  });

  it('fails to start without a readable boot time', async () => {
    const c = new ProcessCollector({ mode: 'procfs-poll', procRoot: join(fake.dir, 'missing') });
    await expect(c.start(new CollectSink())).rejects.toThrow(/VIGIE_PROC_READ/);
  });
});

describe('process collector options', () => {
  it('rejects unknown keys and out-of-range values, naming all of them', () => {
    let error: unknown;
    try {
      new ProcessCollector({ pollIntervalMs: 0, colour: 'red', selfFilter: 'none' } as unknown as ProcessCollectorOptions);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(VigieError);
    expect((error as VigieError).code).toBe('VIGIE_CONFIG_INVALID');
    expect((error as VigieError).message).toMatch(/unknown key colour.*pollIntervalMs.*selfFilter/);
  });
});
