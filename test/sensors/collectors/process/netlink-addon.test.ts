/** The native addon: record decoding, where it is found, and the real socket's lifecycle. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findAddon, loadNetlinkAddon } from '../../../../sensors/collectors/process/index.js';
import { decodeRecords, exitCodeOf } from '../../../../sensors/collectors/process/netlink-records.js';
import { ack, exec, exit, fork, pack } from './fake-addon.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const addon = loadNetlinkAddon();
const isRoot = process.getuid?.() === 0;

describe('netlink records', () => {
  it('decodes the packed layout', () => {
    const buf = pack([ack(43, 0), fork(10, 1, 5n), exec(10, 6n), exit(10, 1, 0x0200, 7n), { what: 0x200, a: 10 }]);
    expect(decodeRecords(buf)).toEqual([
      { kind: 'ack', err: 0, ack: 43, timestampNs: 0n },
      { kind: 'fork', pid: 10, ppid: 1, timestampNs: 5n },
      { kind: 'exec', pid: 10, timestampNs: 6n },
      { kind: 'exit', pid: 10, ppid: 1, waitStatus: 0x0200, timestampNs: 7n },
    ]); // the unknown kind (PROC_EVENT_COMM) is ignored
    expect(decodeRecords(buf.subarray(0, 40))).toHaveLength(1); // a partial record is not read
  });

  it('turns wait statuses into exit codes', () => {
    expect(exitCodeOf(0)).toBe(0);
    expect(exitCodeOf(0x0100)).toBe(1);
    expect(exitCodeOf(0xff00)).toBe(255);
    expect(exitCodeOf(9)).toBe(137); // SIGKILL
    expect(exitCodeOf(0x80 | 11)).toBe(139); // SIGSEGV with core dump
  });
});

describe('finding the addon', () => {
  it('walks up from the module: from source and from a dist/ tree', () => {
    expect(findAddon(join(REPO, 'sensors', 'collectors', 'process'))).toBe(
      addon.ok ? join(REPO, 'build', 'Release', 'vigie_netlink.node') : undefined);
    const root = mkdtempSync(join(tmpdir(), 'vigie-addon-'));
    try {
      const distDir = join(root, 'dist', 'sensors', 'collectors', 'process');
      mkdirSync(distDir, { recursive: true });
      mkdirSync(join(root, 'build', 'Release'), { recursive: true });
      expect(findAddon(distDir)).toBeUndefined();
      writeFileSync(join(root, 'build', 'Release', 'vigie_netlink.node'), '');
      expect(findAddon(distDir)).toBe(join(root, 'build', 'Release', 'vigie_netlink.node'));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('a broken file is a VIGIE_NETLINK_UNAVAILABLE value, not a throw', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-addon-'));
    try {
      const file = join(dir, 'vigie_netlink.node');
      writeFileSync(file, 'not an ELF object');
      const r = loadNetlinkAddon(file);
      expect(!r.ok && r.error.code).toBe('VIGIE_NETLINK_UNAVAILABLE');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the real addon', () => {
  it('checks its arguments', (ctx) => {
    if (!addon.ok) return ctx.skip(`netlink addon not built (${addon.error.message})`);
    expect(() => (addon.value.open as unknown as (...a: unknown[]) => unknown)(1, 2)).toThrow(TypeError);
  });

  it('close() stops the poll and closes the fd: the process exits on its own', (ctx) => {
    if (!addon.ok) return ctx.skip(`netlink addon not built (${addon.error.message})`);
    if (!isRoot) return ctx.skip('not root: the connector needs CAP_NET_ADMIN on older kernels');
    const script = `
      const { readdirSync } = require('fs');
      const a = require(${JSON.stringify(join(REPO, 'build', 'Release', 'vigie_netlink.node'))});
      const fds = () => readdirSync('/proc/self/fd').length;
      const before = fds();
      const later = (f) => setImmediate(() => setImmediate(f)); // fds close in libuv's close callbacks
      const one = a.open(1 << 20, 1, () => {}, () => {});
      const during = fds();
      one.close(); one.close();
      later(() => {
        const split = a.open(1 << 20, 1, () => {}, () => {}, true);
        const duringSplit = fds();
        split.close(); split.close();
        later(() => console.log(JSON.stringify({ before, during, duringSplit, after: fds() })));
      });`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 10_000 });
    expect(r.error).toBeUndefined(); // a handle left open would keep the child alive until the timeout
    expect(r.status).toBe(0);
    const counts = JSON.parse(r.stdout) as { before: number; during: number; duringSplit: number; after: number };
    expect(counts.during).toBe(counts.before + 1);
    expect(counts.duringSplit).toBe(counts.before + 2);
    expect(counts.after).toBe(counts.before);
  });

  it('split: execs and forks/exits on two sockets, each event once, in kernel time order', async (ctx) => {
    if (!addon.ok) return ctx.skip(`netlink addon not built (${addon.error.message})`);
    if (!isRoot) return ctx.skip('not root');
    const seq = 1000 + Math.floor(Math.random() * 1000);
    const records: ReturnType<typeof decodeRecords> = [];
    let unordered = 0;
    const h = addon.value.open(8 << 20, seq, (buf) => {
      const batch = decodeRecords(buf);
      for (let i = 1; i < batch.length; i++) if (batch[i]!.timestampNs < batch[i - 1]!.timestampNs) unordered++;
      records.push(...batch);
    }, () => {}, true);
    try {
      // Some launches while the loop is blocked (both sockets fill up), some while it runs.
      const pids: number[] = [];
      for (let i = 0; i < 20; i++) pids.push(spawnSync('/bin/true').pid);
      for (let i = 0; i < 20; i++) {
        pids.push(spawnSync('/bin/true').pid);
        await new Promise((r) => setTimeout(r, 5));
      }
      // Forks and exits may wait up to the 100 ms throttle of their socket.
      const done = () => pids.every((pid) => records.some((r) => r.kind === 'exit' && r.pid === pid));
      const deadline = Date.now() + 3000;
      while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(records.some((r) => r.kind === 'ack' && r.ack === seq + 1 && r.err === 0)).toBe(true);
      expect(unordered).toBe(0);
      for (const pid of pids) {
        const mine = records.filter((r) => r.kind !== 'ack' && r.pid === pid).map((r) => r.kind);
        expect(mine, `pid ${pid}`).toEqual(['fork', 'exec', 'exit']);
      }
    } finally {
      h.close();
    }
  });

  it('counts ENOBUFS overruns when the receive buffer overflows', async (ctx) => {
    if (!addon.ok) return ctx.skip(`netlink addon not built (${addon.error.message})`);
    if (!isRoot) return ctx.skip('not root');
    let overruns = 0;
    let records = 0;
    const h = addon.value.open(2048, 1, (buf, o) => { overruns = o; records += buf.length / 32; }, () => {});
    try {
      // The event loop is blocked while these run, so nothing drains the tiny buffer.
      for (let i = 0; i < 150; i++) spawnSync('/bin/true');
      const deadline = Date.now() + 3000;
      while (overruns === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    } finally {
      h.close();
    }
    expect(overruns).toBeGreaterThan(0);
    expect(records).toBeGreaterThan(0);
  });
});
