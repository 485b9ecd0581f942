/**
 * A fixture /proc tree in a temporary directory: the committed base files of test/fixtures/proc
 * (stat with btime, uptime, net/*, etc/passwd) plus processes the test adds, with their exe, cwd
 * and fd symlinks made at runtime.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'proc');

/** btime of the committed fixture stat, in ms. */
export const FIXTURE_BOOT_MS = 1_700_000_000_000;
/** uptime of the committed fixture, in ticks (1000.00 s). */
export const FIXTURE_UPTIME_TICKS = 100_000;

export interface FakeProcess {
  pid: number;
  ppid: number;
  comm?: string;
  state?: string;
  flags?: number;
  startTicks: number;
  uid?: number;
  gid?: number;
  exe?: string;
  cwd?: string;
  args?: string[];
  /** Raw cmdline content instead of args (to test odd NUL layouts). */
  rawCmdline?: string;
}

export function statLine(p: Pick<FakeProcess, 'pid' | 'ppid' | 'startTicks'> & Partial<FakeProcess>): string {
  // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
  // cutime cstime priority nice threads itrealvalue starttime vsize rss ...
  const rest = [p.state ?? 'S', p.ppid, p.pid, p.pid, 0, -1, p.flags ?? 4194560, 120, 0, 0, 0, 3, 1, 0, 0,
    20, 0, 1, 0, p.startTicks, 10_000_000, 500, '18446744073709551615', 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    17, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  return `${p.pid} (${p.comm ?? 'proc'}) ${rest.join(' ')}\n`;
}

export function statusText(p: FakeProcess): string {
  const uid = p.uid ?? 0;
  const gid = p.gid ?? 0;
  return [`Name:\t${p.comm ?? 'proc'}`, 'Umask:\t0022', `State:\t${p.state ?? 'S'} (sleeping)`,
    `Tgid:\t${p.pid}`, 'Ngid:\t0', `Pid:\t${p.pid}`, `PPid:\t${p.ppid}`, 'TracerPid:\t0',
    `Uid:\t${uid}\t${uid}\t${uid}\t${uid}`, `Gid:\t${gid}\t${gid}\t${gid}\t${gid}`, 'FDSize:\t64',
    'Groups:\t', 'Threads:\t1', ''].join('\n');
}

export class FakeProc {
  readonly dir: string;
  readonly procRoot: string;
  readonly etcRoot: string;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'vigie-proc-'));
    this.procRoot = join(this.dir, 'proc');
    this.etcRoot = join(this.dir, 'etc');
    mkdirSync(this.procRoot);
    for (const name of ['stat', 'uptime', 'net']) cpSync(join(FIXTURES, name), join(this.procRoot, name), { recursive: true });
    cpSync(join(FIXTURES, 'etc'), this.etcRoot, { recursive: true });
  }

  add(p: FakeProcess): this {
    const d = join(this.procRoot, String(p.pid));
    rmSync(d, { recursive: true, force: true });
    mkdirSync(join(d, 'fd'), { recursive: true });
    writeFileSync(join(d, 'stat'), statLine(p));
    writeFileSync(join(d, 'status'), statusText(p));
    writeFileSync(join(d, 'cmdline'), p.rawCmdline ?? (p.args ? `${p.args.join('\0')}\0` : ''));
    // Kernel threads have no exe and no cwd link target a user can read: leave them out.
    if (p.exe !== undefined) symlinkSync(p.exe, join(d, 'exe'));
    if (p.cwd !== undefined) symlinkSync(p.cwd, join(d, 'cwd'));
    return this;
  }

  /** fd/<fd> -> socket:[inode] (a dangling link, as readlink on /proc shows it). */
  addSocket(pid: number, fd: number, inode: number): this {
    symlinkSync(`socket:[${inode}]`, join(this.procRoot, String(pid), 'fd', String(fd)));
    return this;
  }

  addFdLink(pid: number, fd: number, target: string): this {
    symlinkSync(target, join(this.procRoot, String(pid), 'fd', String(fd)));
    return this;
  }

  remove(pid: number): this {
    rmSync(join(this.procRoot, String(pid)), { recursive: true, force: true });
    return this;
  }

  write(relative: string, text: string): this {
    const file = join(this.procRoot, relative);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return this;
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
