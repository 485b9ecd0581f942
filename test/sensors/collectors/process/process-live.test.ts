/**
 * The process collector on this host's real kernel and /proc: a real child process must show up
 * with its image, command line and parent, then exit with the same identity.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Source } from '../../../../common/events.js';
import type { Event } from '../../../../common/events.js';
import { EXIT_CODE_UNKNOWN, ProcessCollector, loadNetlinkAddon } from '../../../../sensors/collectors/process/index.js';
import { ProcReader, startTimeMs } from '../../../../sensors/proc/index.js';
import { CollectSink } from '../collect-sink.js';

const SLEEP = '/bin/sleep';
const addon = loadNetlinkAddon();
const isRoot = process.getuid?.() === 0;

let collector: ProcessCollector | undefined;
let child: ChildProcess | undefined;

afterEach(async () => {
  child?.kill('SIGKILL');
  child = undefined;
  await collector?.stop();
  collector = undefined;
});

/** This test process's own identity, as the collector computes it. */
function selfRef(): { pid: number; startTimeMs: number } {
  const reader = new ProcReader();
  const boot = reader.bootTimeMs();
  const st = reader.stat(process.pid);
  if (!boot.ok || !st.ok) throw new Error('cannot read /proc/self');
  return { pid: process.pid, startTimeMs: startTimeMs(boot.value, st.value.startTicks) };
}

/** Runs `/bin/sleep 1 0.000NNNNNN` (a distinctive, valid argument) and returns its pid. */
function runSleep(): { pid: number; commandLine: string; exited: Promise<void> } {
  const marker = `0.000${randomInt(100_000, 999_999)}`;
  child = spawn(SLEEP, ['1', marker], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child?.once('exit', () => resolve()));
  if (child.pid === undefined) throw new Error('spawn failed');
  return { pid: child.pid, commandLine: `${SLEEP} 1 ${marker}`, exited };
}

async function startAndExit(sink: CollectSink, pid: number): Promise<{ start: Event; exit: Event }> {
  const start = await sink.waitFor((e) => e.processStart?.process?.pid === pid, 5000, `ProcessStart of ${pid}`);
  const exit = await sink.waitFor((e) => e.processExit?.process?.pid === pid, 5000, `ProcessExit of ${pid}`);
  return { start, exit };
}

function expectStart(start: Event, run: { pid: number; commandLine: string }): void {
  const ps = start.processStart;
  expect(ps?.image).toBe(realpathSync(SLEEP));
  expect(ps?.commandLine).toBe(run.commandLine);
  expect(ps?.cwd).toBe(process.cwd());
  expect(ps?.parent).toEqual(selfRef());
  expect(ps?.parentImage).toBe(realpathSync(process.execPath));
  expect(ps?.uid).toBe(process.getuid?.());
  if (isRoot) expect(ps?.user).toBe('root');
  // start time: boot time (whole seconds) + ticks: within a couple of seconds of now
  const started = Number(ps?.process?.startTimeMs);
  expect(Math.abs(started - Date.now())).toBeLessThan(5000);
}

describe('process collector, live', () => {
  // Split (the default): execs on one socket, forks and exits on another (vigie_netlink.c).
  it.for([true, false])('netlink (netlinkSplit: %s): sees a real child exec and exit with one identity', async (netlinkSplit, ctx) => {
    if (!addon.ok) return ctx.skip(`netlink addon not built (${addon.error.message}); run npx node-gyp rebuild`);
    if (!isRoot) return ctx.skip('not root: the process-events connector needs CAP_NET_ADMIN on older kernels');
    const sink = new CollectSink();
    collector = new ProcessCollector({ selfFilter: 'process', netlinkSplit });
    await collector.start(sink);
    expect(collector.mode).toBe('netlink');
    expect(sink.problems).toEqual([]);

    const run = runSleep();
    const { start, exit } = await startAndExit(sink, run.pid);
    expect(start.source).toBe(Source.SOURCE_NETLINK);
    expectStart(start, run);
    expect(exit.source).toBe(Source.SOURCE_NETLINK);
    expect(exit.processExit?.process).toEqual(start.processStart?.process);
    expect(exit.processExit?.image).toBe(realpathSync(SLEEP));
    expect(exit.processExit?.exitCode).toBe(0);
    expect(Number(exit.timeMs)).toBeGreaterThanOrEqual(Number(start.timeMs));
    // nothing about the collector's own process
    expect(sink.received.some((e) => (e.processStart ?? e.processExit)?.process?.pid === process.pid)).toBe(false);
    expect(collector.stats().overruns).toBe(0);
  });

  it('netlink: by default the agent\'s own descendants are kept quiet', async (ctx) => {
    if (!addon.ok) return ctx.skip(`netlink addon not built (${addon.error.message})`);
    if (!isRoot) return ctx.skip('not root');
    // Two collectors on the same kernel events: the one filtering only its own pid is the
    // control that proves the child's events did arrive.
    const quiet = new CollectSink();
    const control = new CollectSink();
    collector = new ProcessCollector();
    const controlCollector = new ProcessCollector({ selfFilter: 'process' });
    try {
      await collector.start(quiet);
      await controlCollector.start(control);
      expect([collector.mode, controlCollector.mode]).toEqual(['netlink', 'netlink']);
      const run = runSleep();
      await control.waitFor((e) => e.processExit?.process?.pid === run.pid, 5000, 'exit seen by the control');
      await new Promise((r) => setTimeout(r, 100));
      expect(quiet.received.some((e) => (e.processStart ?? e.processExit)?.process?.pid === run.pid)).toBe(false);
    } finally {
      await controlCollector.stop();
    }
  });

  it('netlink: a burst that overflows the receive buffer is reported and recovered from /proc', async (ctx) => {
    if (!addon.ok) return ctx.skip(`netlink addon not built (${addon.error.message})`);
    if (!isRoot) return ctx.skip('not root');
    const sink = new CollectSink();
    collector = new ProcessCollector({ selfFilter: 'process', receiveBufferBytes: 65_536 });
    await collector.start(sink);
    // The event loop is blocked while these run: nothing drains the socket.
    for (let i = 0; i < 300; i++) spawnSync('/bin/true');
    const deadline = Date.now() + 5000;
    while (collector.stats().reconciles === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(sink.problems.map((p) => p.code)).toContain('VIGIE_NETLINK_OVERRUN');
    expect(collector.stats().overruns).toBeGreaterThan(0);
    expect(collector.stats().reconciles).toBeGreaterThan(0);
    expect(collector.mode).toBe('netlink');
    // still working after the overrun
    const run = runSleep();
    await sink.waitFor((e) => e.processStart?.process?.pid === run.pid, 5000, 'start after the overrun');
  });

  it('procfs polling: sees a real child start and exit with one identity', async () => {
    const sink = new CollectSink();
    collector = new ProcessCollector({ mode: 'procfs-poll', selfFilter: 'process', pollIntervalMs: 100 });
    await collector.start(sink);
    expect(collector.mode).toBe('procfs-poll');
    expect(sink.problems).toEqual([]);

    const run = runSleep();
    const { start, exit } = await startAndExit(sink, run.pid);
    expect(start.source).toBe(Source.SOURCE_PROCFS);
    expectStart(start, run);
    expect(exit.processExit?.process).toEqual(start.processStart?.process);
    expect(exit.processExit?.exitCode).toBe(EXIT_CODE_UNKNOWN);
  });
});
