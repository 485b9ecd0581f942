import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProcReader } from '../../../sensors/proc/index.js';
import { FIXTURE_BOOT_MS, FakeProc } from './fake-proc.js';

let fake: FakeProc;
let reader: ProcReader;

beforeEach(() => {
  fake = new FakeProc();
  reader = new ProcReader({ procRoot: fake.procRoot, etcRoot: fake.etcRoot });
});
afterEach(() => fake.cleanup());

describe('ProcReader on a fixture tree', () => {
  it('lists pids, ignoring non-numeric entries', () => {
    fake.add({ pid: 1, ppid: 0, startTicks: 1, exe: '/sbin/init' }).add({ pid: 42, ppid: 1, startTicks: 500 });
    mkdirSync(join(fake.procRoot, 'self'));
    const pids = reader.pids();
    expect(pids.ok && [...pids.value].sort((a, b) => a - b)).toEqual([1, 42]);
  });

  it('reads boot time, stat, status, cmdline, exe and cwd', () => {
    fake.add({ pid: 42, ppid: 1, comm: 'my prog', startTicks: 500, uid: 1000, gid: 1000,
      exe: '/usr/bin/prog', cwd: '/home/alice', args: ['/usr/bin/prog', '--flag', 'two words'] });
    expect(reader.bootTimeMs()).toEqual({ ok: true, value: FIXTURE_BOOT_MS });
    const st = reader.stat(42);
    expect(st.ok && st.value).toMatchObject({ pid: 42, ppid: 1, comm: 'my prog', startTicks: 500 });
    const status = reader.status(42);
    expect(status.ok && status.value).toMatchObject({ uid: 1000, gid: 1000, ppid: 1 });
    expect(reader.cmdline(42)).toEqual({ ok: true, value: ['/usr/bin/prog', '--flag', 'two words'] });
    expect(reader.link(42, 'exe')).toBe('/usr/bin/prog');
    expect(reader.link(42, 'cwd')).toBe('/home/alice');
    expect(reader.passwd().ok).toBe(true);
  });

  it('a vanished pid is VIGIE_PROC_VANISHED, not a read or parse error', () => {
    for (const r of [reader.stat(4242), reader.status(4242), reader.cmdline(4242), reader.socketInodes(4242)]) {
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('VIGIE_PROC_VANISHED');
        expect(r.error.location?.pid).toBe(4242);
      }
    }
    expect(reader.link(4242, 'exe')).toBe('');
  });

  it('a kernel thread has no exe: empty image, the process is still there', () => {
    fake.add({ pid: 2, ppid: 0, comm: 'kthreadd', flags: 0x00208040, startTicks: 1 });
    expect(reader.link(2, 'exe')).toBe('');
    expect(reader.stat(2).ok).toBe(true);
  });

  it('a garbled stat is VIGIE_PROC_PARSE with the file', () => {
    fake.add({ pid: 7, ppid: 1, startTicks: 1 }).write('7/stat', 'not a stat line');
    const r = reader.stat(7);
    expect(!r.ok && r.error.code).toBe('VIGIE_PROC_PARSE');
    expect(!r.ok && r.error.location?.file).toBe(join(fake.procRoot, '7', 'stat'));
  });

  it('finds socket inodes among fd links', () => {
    fake.add({ pid: 42, ppid: 1, startTicks: 500 })
      .addSocket(42, 3, 20003).addFdLink(42, 0, '/dev/null').addFdLink(42, 4, 'pipe:[999]').addSocket(42, 5, 20010)
      .addFdLink(42, 6, 'anon_inode:[eventfd]');
    const r = reader.socketInodes(42);
    expect(r.ok && [...r.value].sort()).toEqual([20003, 20010]);
  });

  it('reads the socket tables; a missing table (no IPv6) is empty', () => {
    const tcp = reader.socketTable('tcp');
    expect(tcp.ok && tcp.value.entries.length).toBe(4);
    rmSync(join(fake.procRoot, 'net', 'tcp6'));
    expect(reader.socketTable('tcp6')).toEqual({ ok: true, value: { entries: [], problems: [] } });
  });

  it('reads a file larger than its buffer whole, and the next small file after it', () => {
    const big = Array.from({ length: 5000 }, (_, i) => `user${i}:x:${10_000 + i}:${10_000 + i}::/home/user${i}:/bin/sh`).join('\n') + '\n';
    expect(big.length).toBeGreaterThan(200 * 1024);
    writeFileSync(join(fake.etcRoot, 'passwd'), big);
    expect(reader.passwd()).toEqual({ ok: true, value: big });
    fake.add({ pid: 7, ppid: 1, startTicks: 10, args: ['/bin/sh', '-c', 'x'] });
    expect(reader.cmdline(7)).toEqual({ ok: true, value: ['/bin/sh', '-c', 'x'] });
    expect(reader.passwd()).toEqual({ ok: true, value: big });
  });

  it('an unreadable proc root is VIGIE_PROC_READ', () => {
    const missing = new ProcReader({ procRoot: join(fake.dir, 'nope') });
    const r = missing.pids();
    expect(!r.ok && r.error.code).toBe('VIGIE_PROC_READ');
    expect(!missing.bootTimeMs().ok).toBe(true);
  });
});
