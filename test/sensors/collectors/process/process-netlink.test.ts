/**
 * The process collector's netlink mode, driven by a fake addon (record batches as the C code packs
 * them) over a fixture /proc tree; and its fallbacks to polling. The real addon and kernel are
 * exercised by process-live.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Source } from '../../../../common/events.js';
import type { Event } from '../../../../common/events.js';
import { ProcessCollector } from '../../../../sensors/collectors/process/index.js';
import type { ProcessCollectorOptions } from '../../../../sensors/collectors/process/index.js';
import { FIXTURE_BOOT_MS, FakeProc } from '../../proc/fake-proc.js';
import { CollectSink } from '../collect-sink.js';
import { FakeAddon, exec, exit, fork } from './fake-addon.js';
import type { AckBehaviour } from './fake-addon.js';

let fake: FakeProc;
let collector: ProcessCollector | undefined;

beforeEach(() => {
  fake = new FakeProc()
    .add({ pid: 1, ppid: 0, comm: 'init', startTicks: 1, exe: '/sbin/init', args: ['/sbin/init'] })
    .add({ pid: 50, ppid: 1, comm: 'sshd', startTicks: 300, exe: '/usr/sbin/sshd', args: ['sshd: /usr/sbin/sshd -D'] })
    .add({ pid: 900, ppid: 1, comm: 'node', startTicks: 400, exe: '/usr/bin/node', args: ['node', 'vigie'] });
});
afterEach(async () => {
  await collector?.stop();
  collector = undefined;
  fake.cleanup();
});

async function start(addon: FakeAddon | undefined, options: ProcessCollectorOptions = {}): Promise<CollectSink> {
  const sink = new CollectSink();
  collector = new ProcessCollector({ procRoot: fake.procRoot, etcRoot: fake.etcRoot, selfPid: 900, host: 'h',
    pollIntervalMs: 10, ackTimeoutMs: 100, ...(addon ? { netlinkAddon: addon } : {}), ...options });
  await collector.start(sink);
  return sink;
}

const pidOf = (e: Event) => (e.processStart ?? e.processExit)?.process?.pid;
const settle = (ms = 50) => new Promise((r) => setTimeout(r, ms));

describe('process collector, netlink mode (fake addon)', () => {
  it('reports an exec with /proc details and an exit with the kernel\'s exit code, one events() call per batch', async () => {
    const addon = new FakeAddon();
    const sink = await start(addon);
    expect(collector?.mode).toBe('netlink');
    expect(addon.receiveBufferBytes).toBe(8 << 20);
    expect(addon.split).toBe(true);
    expect(sink.problems).toEqual([]);

    fake.add({ pid: 100, ppid: 50, startTicks: 60_000, uid: 1000, gid: 1000, exe: '/usr/bin/id', cwd: '/', args: ['id', '-u'] });
    addon.batch([fork(100, 50), exec(100)]);
    expect(sink.batches).toEqual([1]);
    const s = sink.received[0];
    expect(s?.source).toBe(Source.SOURCE_NETLINK);
    expect(s?.processStart).toEqual({
      process: { pid: 100, startTimeMs: FIXTURE_BOOT_MS + 600_000 },
      parent: { pid: 50, startTimeMs: FIXTURE_BOOT_MS + 3000 },
      image: '/usr/bin/id', commandLine: 'id -u', cwd: '/', uid: 1000, gid: 1000, user: 'alice',
      parentImage: '/usr/sbin/sshd', parentCommandLine: 'sshd: /usr/sbin/sshd -D',
    });

    fake.remove(100);
    addon.batch([exit(100, 50, 0x0100), exit(50, 1, 9)]); // exit(1); killed by SIGKILL
    expect(sink.batches).toEqual([1, 2]);
    expect(sink.received[1]?.processExit).toEqual({ process: s?.processStart?.process, image: '/usr/bin/id', exitCode: 1 });
    expect(sink.received[2]?.processExit).toEqual({ process: { pid: 50, startTimeMs: FIXTURE_BOOT_MS + 3000 },
      image: '/usr/sbin/sshd', exitCode: 137 });
    expect(collector?.stats()).toMatchObject({ starts: 1, exits: 2, partialStarts: 0 });
  });

  it('still reports a process gone before /proc was read, from its fork and exit records', async () => {
    const addon = new FakeAddon();
    const sink = await start(addon);
    addon.batch([fork(300, 50, 600_000_000_000n), exec(300), exit(300, 50, 0)]);
    const [s, x] = sink.received;
    expect(s?.processStart).toEqual({
      process: { pid: 300, startTimeMs: FIXTURE_BOOT_MS + 600_000 }, // estimated from the fork's timestamp
      parent: { pid: 50, startTimeMs: FIXTURE_BOOT_MS + 3000 },
      parentImage: '/usr/sbin/sshd', parentCommandLine: 'sshd: /usr/sbin/sshd -D',
    });
    expect(x?.processExit).toEqual({ process: s?.processStart?.process, image: '', exitCode: 0 });

    addon.batch([exec(301), exit(301, 1, 0)]); // no fork seen: the parent comes from the exit record
    expect(sink.received[2]?.processStart?.parent?.pid).toBe(1);
    expect(collector?.stats()).toMatchObject({ partialStarts: 2, vanished: 2 });
    expect(sink.problems).toEqual([]);
  });

  it('reads a parent once per burst of execs, and again after the parent execs', async () => {
    const addon = new FakeAddon();
    const sink = await start(addon, { netlinkSplit: false });
    expect(addon.split).toBe(false);
    const child = (pid: number) => fake.add({ pid, ppid: 50, startTicks: 60_000 + pid, exe: '/bin/true', args: ['true'] });
    child(101);
    addon.batch([fork(101, 50), exec(101)]);
    // The parent rewrites its command line (setproctitle): a child within the cache's second
    // still gets the details read for the first one; the parent's exec forgets them.
    fake.write('50/cmdline', 'sshd: alice [priv]\0');
    child(102);
    addon.batch([fork(102, 50), exec(102)]);
    fake.remove(50).add({ pid: 50, ppid: 1, comm: 'sshd', startTicks: 300, exe: '/usr/sbin/sshd-session', args: ['sshd-session'] });
    child(103);
    addon.batch([exec(50), fork(103, 50), exec(103)]);
    const parentLine = (pid: number) => sink.received.find((e) => e.processStart?.process?.pid === pid)?.processStart?.parentCommandLine;
    expect([parentLine(101), parentLine(102), parentLine(103)])
      .toEqual(['sshd: /usr/sbin/sshd -D', 'sshd: /usr/sbin/sshd -D', 'sshd-session']);
    expect(sink.received.find((e) => e.processStart?.process?.pid === 103)?.processStart?.parentImage)
      .toBe('/usr/sbin/sshd-session');
  });

  it('does not report a fork that never execs, nor its exit', async () => {
    const addon = new FakeAddon();
    const sink = await start(addon);
    addon.batch([fork(310, 50), exit(310, 50, 0)]);
    expect(sink.received).toEqual([]);
    expect(collector?.stats().untrackedExits).toBe(1);
  });

  it('keeps the agent and its descendants quiet, or only the agent with selfFilter "process"', async () => {
    const addon = new FakeAddon();
    const sink = await start(addon);
    fake.add({ pid: 901, ppid: 900, startTicks: 70_000, exe: '/bin/sh', args: ['sh'] })
      .add({ pid: 902, ppid: 901, startTicks: 70_001, exe: '/bin/ls', args: ['ls'] })
      .add({ pid: 903, ppid: 1, startTicks: 70_002, exe: '/bin/date', args: ['date'] });
    addon.batch([fork(901, 900), exec(901), fork(902, 901), exec(902), fork(903, 1), exec(903),
      exit(902, 901), exit(901, 900)]);
    // a descendant already gone when its exec is handled: no partial start either
    addon.batch([fork(905, 900)]);
    addon.batch([exec(905)]);
    expect(sink.received.map(pidOf)).toEqual([903]);
    await collector?.stop();

    const addon2 = new FakeAddon();
    const sink2 = await start(addon2, { selfFilter: 'process' });
    addon2.batch([fork(901, 900), exec(901), exec(900)]);
    expect(sink2.received.map(pidOf)).toEqual([901]);
  });

  it('reports overruns and rescans /proc for what was lost', async () => {
    const addon = new FakeAddon();
    const sink = await start(addon);
    fake.remove(50).add({ pid: 400, ppid: 1, startTicks: 80_000, exe: '/usr/bin/nc', args: ['nc', '-l'] });
    addon.batch([], 3);
    expect(sink.problems.map((p) => p.code)).toEqual(['VIGIE_NETLINK_OVERRUN']);
    expect(sink.problems[0]?.message).toMatch(/^3 /);
    await sink.waitFor((e) => pidOf(e) === 400, 1000);
    const lost = await sink.waitFor((e) => e.processExit?.process?.pid === 50, 1000);
    expect(lost.source).toBe(Source.SOURCE_PROCFS);
    expect(collector?.stats()).toMatchObject({ overruns: 3, reconciles: 1 });
    expect(collector?.mode).toBe('netlink');
  });

  it('stop() closes the socket; nothing is reported afterwards', async () => {
    const addon = new FakeAddon();
    await start(addon);
    await collector?.stop();
    expect(addon.closed).toBe(true);
  });
});

describe('process collector, fallback to /proc polling', () => {
  const cases: Array<[AckBehaviour, RegExp]> = [
    ['throw-eperm', /EPERM/],
    ['refuse', /refused the subscription/],
    ['silent', /no acknowledgement/],
  ];
  for (const [behaviour, reason] of cases) {
    it(`falls back when the connector ${behaviour}s, says why, and polls`, async () => {
      const addon = new FakeAddon(behaviour);
      const sink = await start(addon);
      expect(collector?.mode).toBe('procfs-poll');
      expect(sink.problems).toHaveLength(1);
      expect(sink.problems[0]?.code).toBe('VIGIE_NETLINK_UNAVAILABLE');
      expect(sink.problems[0]?.message).toMatch(reason);
      expect(sink.problems[0]?.message).toMatch(/falling back to \/proc polling every 10 ms/);
      if (behaviour !== 'throw-eperm') expect(addon.closed).toBe(true);
      fake.add({ pid: 500, ppid: 1, startTicks: 90_000, exe: '/bin/cat', args: ['cat'] });
      const s = await sink.waitFor((e) => pidOf(e) === 500, 1000);
      expect(s.source).toBe(Source.SOURCE_PROCFS);
    });
  }

  it('falls back when the addon is not built', async () => {
    const sink = await start(undefined, { addonPath: '/nonexistent/build/Release/vigie_netlink.node' });
    expect(collector?.mode).toBe('procfs-poll');
    expect(sink.problems[0]?.code).toBe('VIGIE_NETLINK_UNAVAILABLE');
    expect(sink.problems[0]?.message).toMatch(/failed to load/);
  });

  it('switches to polling when the socket fails while running, and catches up', async () => {
    const addon = new FakeAddon();
    const sink = await start(addon);
    expect(collector?.mode).toBe('netlink');
    fake.remove(50);
    addon.fail('recv on the netlink socket failed: Bad file descriptor');
    expect(collector?.mode).toBe('procfs-poll');
    expect(addon.closed).toBe(true);
    expect(sink.problems.map((p) => p.code)).toEqual(['VIGIE_NETLINK_UNAVAILABLE']);
    expect(sink.received.find((e) => e.processExit)?.processExit?.process?.pid).toBe(50);
    fake.add({ pid: 501, ppid: 1, startTicks: 91_000, exe: '/bin/cat', args: ['cat'] });
    await sink.waitFor((e) => pidOf(e) === 501, 1000);
    await settle();
  });
});
