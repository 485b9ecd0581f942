/**
 * Pure parsers of /proc/<pid>/{stat,status,cmdline} and /proc/stat. No I/O here: the text comes
 * from proc-reader.ts (or from a test's literal string).
 */
import { fail, ok } from '../../common/errors.js';
import type { Result } from '../../common/errors.js';
import { libStat } from './procfs-lib.js';

/**
 * Clock ticks per second of /proc's time fields (USER_HZ, sysconf(_SC_CLK_TCK)). The kernel fixes
 * it at 100 for user space on every architecture Vigie targets (x86, arm, arm64, riscv), whatever
 * the internal HZ; Node has no sysconf binding, so it is a constant.
 */
export const CLK_TCK = 100;

/** PF_KTHREAD in the stat flags field: a kernel thread (no exe, no command line, never execs). */
export const PF_KTHREAD = 0x00200000;

export interface ProcStat {
  pid: number;
  comm: string;
  /** One letter: R, S, D, Z (zombie), T, X... */
  state: string;
  ppid: number;
  flags: number;
  /** Start time in clock ticks after boot. */
  startTicks: number;
}

export interface ProcStatus {
  name: string;
  ppid: number;
  /** Effective ids: the privileges the process runs with (what `ps -o user` shows). */
  uid: number;
  gid: number;
  realUid: number;
  realGid: number;
}

const isCount = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;

/**
 * /proc/<pid>/stat. comm may hold spaces and parentheses: the fields start after the last ')'.
 * Hand-written, as parseStatus: the library's processStat converts some 40 fields (and passes comm
 * through the global unescape(), which turns a "%41" in a name into "A"); six are needed, on the
 * path of every exec and of every new pid a poll sees.
 */
export function parseStat(text: string, file?: string): Result<ProcStat> {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < 0) {
    return fail('VIGIE_PROC_PARSE', 'stat has no (comm)', { file: file ?? 'stat' });
  }
  // After ") ": state ppid pgrp session tty_nr tpgid flags ... starttime is the 20th.
  const f = text.slice(close + 2).split(' ', 20);
  const pid = parseInt(text, 10);
  const ppid = parseInt(f[1] ?? '', 10);
  const flags = parseInt(f[6] ?? '', 10);
  const startTicks = parseInt(f[19] ?? '', 10);
  for (const [field, value] of [['pid', pid], ['ppid', ppid], ['flags', flags], ['starttime', startTicks]] as const) {
    if (!isCount(value)) return fail('VIGIE_PROC_PARSE', `stat field ${field} is not a number`, { file: file ?? 'stat', field });
  }
  return ok({ pid, comm: text.slice(open + 1, close), state: f[0] ?? '', ppid, flags, startTicks });
}

/**
 * /proc/<pid>/status: name, ppid, uid and gid (real and effective). Hand-written: the library's
 * processStatus turns all ~60 lines into an object (about 20 µs a call, on the path of every
 * exec), and four lines are needed. Values are read as the library reads them: trimmed, numbers
 * split on white space.
 */
export function parseStatus(text: string, file?: string): Result<ProcStatus> {
  const where = { file: file ?? 'status' };
  const uid = statusNumbers(text, 'Uid');
  if (uid.length < 2 || !isCount(uid[0]!) || !isCount(uid[1]!)) {
    return fail('VIGIE_PROC_PARSE', 'status has no valid Uid line', { ...where, field: 'Uid' });
  }
  const gid = statusNumbers(text, 'Gid');
  if (gid.length < 2 || !isCount(gid[0]!) || !isCount(gid[1]!)) {
    return fail('VIGIE_PROC_PARSE', 'status has no valid Gid line', { ...where, field: 'Gid' });
  }
  const ppid = statusNumbers(text, 'PPid')[0];
  return ok({
    name: statusField(text, 'Name') ?? '',
    ppid: ppid !== undefined && isCount(ppid) ? ppid : 0,
    uid: uid[1]!,
    gid: gid[1]!,
    realUid: uid[0]!,
    realGid: gid[0]!,
  });
}

/** The trimmed value of the line `key:` of a status text, or undefined. */
function statusField(text: string, key: string): string | undefined {
  const prefix = `${key}:`;
  let at = 0;
  if (!text.startsWith(prefix)) {
    at = text.indexOf(`\n${prefix}`);
    if (at < 0) return undefined;
    at += 1;
  }
  const end = text.indexOf('\n', at);
  return text.slice(at + prefix.length, end < 0 ? text.length : end).trim();
}

function statusNumbers(text: string, key: string): number[] {
  const value = statusField(text, key);
  return value === undefined || value === '' ? [] : value.split(/\s+/).map((v) => parseInt(v, 10));
}

/**
 * /proc/<pid>/cmdline: arguments separated by NUL, normally with a trailing NUL. A process that
 * rewrote its argv (setproctitle) may leave no trailing NUL, or one string with spaces: the last
 * piece is kept either way. Empty for kernel threads and zombies.
 */
export function parseCmdline(raw: string): string[] {
  if (raw.length === 0) return [];
  const parts = raw.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** The command line as one string: arguments joined with spaces (no quoting, as `ps` shows it). */
export function joinCmdline(args: readonly string[]): string {
  return args.join(' ');
}

/** btime of /proc/stat, in ms since the epoch. */
export function parseBootTimeMs(text: string, file?: string): Result<number> {
  const t = libStat(text).bootTime?.getTime();
  if (t === undefined || !Number.isFinite(t) || t <= 0) {
    return fail('VIGIE_PROC_PARSE', 'no btime line', { file: file ?? 'stat', field: 'btime' });
  }
  return ok(t);
}

/** /proc/uptime's first number (seconds since boot, two decimals) in ms. */
export function parseUptimeMs(text: string, file?: string): Result<number> {
  const first = text.trim().split(/\s+/)[0] ?? '';
  if (!/^\d+(\.\d+)?$/.test(first)) return fail('VIGIE_PROC_PARSE', 'uptime is not a number', { file: file ?? 'uptime' });
  return ok(Math.round(Number(first) * 1000));
}

/** How long ago a process started, in ms, from the uptime and its starttime ticks. */
export function ageMs(uptimeMs: number, startTicks: number): number {
  return uptimeMs - Math.floor((startTicks * 1000) / CLK_TCK);
}

/**
 * A process's start time in ms since the epoch: boot time plus starttime ticks. With the pid, it
 * is the process's identity across pid reuse (ProcessRef). Its precision is one tick (10 ms).
 */
export function startTimeMs(bootTimeMs: number, startTicks: number): number {
  return bootTimeMs + Math.floor((startTicks * 1000) / CLK_TCK);
}

export function isKernelThread(stat: ProcStat): boolean {
  return (stat.flags & PF_KTHREAD) !== 0;
}
