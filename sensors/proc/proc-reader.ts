/**
 * The one module of the sensor that touches /proc (and /etc/passwd). Everything else works on
 * the values it returns; parsing is done by the pure functions of parse-*.ts.
 *
 * Reads are synchronous on purpose: procfs is generated from kernel memory (no disk wait), a read
 * costs microseconds, and the libuv thread pool would turn each file into four queued round trips
 * (open, fstat, read, close) for no gain. Callers bound how much they read per tick.
 *
 * A pid that vanished (ENOENT, ESRCH) is reported with VIGIE_PROC_VANISHED so callers can skip and
 * count it; other read errors are VIGIE_PROC_READ; bad content is VIGIE_PROC_PARSE.
 *
 * A process's files (/proc/<pid>/{stat,status,cmdline}, several per launch) are read with open,
 * one read into a reused buffer, close: three system calls where readFileSync makes five (it adds
 * fstat, and a second read to find the end of a file whose size procfs reports as 0). Their text
 * is generated whole (single_open seq files; the cmdline reader loops until the end), so a read
 * that does not fill the buffer has read everything. Measured: 8.7-10 µs against 10.4-12.8 µs a
 * file. Other files are read until a read returns 0: /proc/net/tcp, for one, gives about 4 KiB
 * per read whatever the buffer (a test compares its sockets with a sock_diag dump).
 */
import { closeSync, openSync, readdirSync, readlinkSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { fail, ok } from '../../common/errors.js';
import type { Result } from '../../common/errors.js';
import { parseBootTimeMs, parseCmdline, parseStat, parseStatus, parseUptimeMs } from './parse-process.js';
import type { ProcStat, ProcStatus } from './parse-process.js';
import { parseSocketTable, socketInodeOf } from './parse-net.js';
import type { SocketTable, SocketTableName } from './parse-net.js';
import { libProcesses } from './procfs-lib.js';

export interface ProcReaderOptions {
  /** Root of the proc filesystem; a fixture tree in tests. Default /proc. */
  procRoot?: string;
  /** Root of the configuration tree holding passwd; default /etc. */
  etcRoot?: string;
}

const VANISHED = new Set(['ENOENT', 'ESRCH']);

/** The buffer every read goes into (reads are synchronous), doubled when a file does not fit. */
let scratch = Buffer.allocUnsafe(64 * 1024);

function errnoOf(e: unknown): string {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : 'EIO';
}

export class ProcReader {
  readonly procRoot: string;
  private readonly pidPrefix: string;
  readonly etcRoot: string;

  constructor(options: ProcReaderOptions = {}) {
    this.procRoot = options.procRoot ?? '/proc';
    this.pidPrefix = join(this.procRoot, '/');
    this.etcRoot = options.etcRoot ?? '/etc';
  }

  /** The file's text, or the errno name of the failure. */
  /** `whole`: the file's text comes in one read when the buffer is large enough (a process's files). */
  private read(path: string, whole = false): { text: string } | { errno: string } {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (e) {
      return { errno: errnoOf(e) };
    }
    try {
      let n = 0;
      for (;;) {
        if (n === scratch.length) {
          const bigger = Buffer.allocUnsafe(scratch.length * 2);
          scratch.copy(bigger, 0, 0, n);
          scratch = bigger;
        }
        const k = readSync(fd, scratch, n, scratch.length - n, null);
        n += k;
        if (k === 0 || (whole && n < scratch.length)) break;
      }
      return { text: scratch.toString('utf8', 0, n) };
    } catch (e) {
      return { errno: errnoOf(e) };
    } finally {
      closeSync(fd);
    }
  }

  private text(path: string, pid?: number): Result<string> {
    const r = this.read(path, pid !== undefined);
    if ('text' in r) return ok(r.text);
    const where = pid === undefined ? { file: path } : { file: path, pid };
    return VANISHED.has(r.errno) && pid !== undefined
      ? fail('VIGIE_PROC_VANISHED', 'process exited before it was read', where)
      : fail('VIGIE_PROC_READ', `${r.errno} reading ${path}`, where);
  }

  private pidPath(pid: number, name: string): string {
    // Concatenation, not path.join: this runs several times per exec, and the root is normalised once.
    return `${this.pidPrefix}${pid}/${name}`;
  }

  /** The pids (thread-group leaders) listed in the proc root. */
  pids(): Result<number[]> {
    try {
      return ok(libProcesses(readdirSync(this.procRoot)));
    } catch (e) {
      return fail('VIGIE_PROC_READ', `${errnoOf(e)} listing ${this.procRoot}`, { file: this.procRoot });
    }
  }

  /** Boot time (btime of <proc>/stat), ms since the epoch. */
  bootTimeMs(): Result<number> {
    const file = join(this.procRoot, 'stat');
    const t = this.text(file);
    return t.ok ? parseBootTimeMs(t.value, file) : t;
  }

  /** Time since boot (<proc>/uptime), ms, 10 ms precision. */
  uptimeMs(): Result<number> {
    const file = join(this.procRoot, 'uptime');
    const t = this.text(file);
    return t.ok ? parseUptimeMs(t.value, file) : t;
  }

  stat(pid: number): Result<ProcStat> {
    const file = this.pidPath(pid, 'stat');
    const t = this.text(file, pid);
    return t.ok ? parseStat(t.value, file) : t;
  }

  status(pid: number): Result<ProcStatus> {
    const file = this.pidPath(pid, 'status');
    const t = this.text(file, pid);
    return t.ok ? parseStatus(t.value, file) : t;
  }

  cmdline(pid: number): Result<string[]> {
    const t = this.text(this.pidPath(pid, 'cmdline'), pid);
    return t.ok ? ok(parseCmdline(t.value)) : t;
  }

  /**
   * The target of /proc/<pid>/exe or cwd, as the kernel shows it (a deleted executable keeps its
   * " (deleted)" suffix: that is a signal, not noise). Empty when it cannot be read: kernel
   * threads have none, and other users' processes are not readable without root.
   */
  link(pid: number, name: 'exe' | 'cwd'): string {
    try {
      return readlinkSync(this.pidPath(pid, name));
    } catch {
      return '';
    }
  }

  /** Inodes of the sockets a process holds open, from its fd links. */
  socketInodes(pid: number): Result<number[]> {
    const dir = this.pidPath(pid, 'fd');
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch (e) {
      const code = errnoOf(e);
      return VANISHED.has(code)
        ? fail('VIGIE_PROC_VANISHED', 'process exited before its fds were read', { file: dir, pid })
        : fail('VIGIE_PROC_READ', `${code} listing ${dir}`, { file: dir, pid });
    }
    const inodes: number[] = [];
    for (const name of names) {
      let target: string;
      try {
        target = readlinkSync(`${dir}/${name}`);
      } catch {
        continue; // the fd was closed between readdir and readlink
      }
      const inode = socketInodeOf(target);
      if (inode !== undefined) inodes.push(inode);
    }
    return ok(inodes);
  }

  /** <proc>/net/<table>, parsed. A missing table (IPv6 disabled) is empty, not an error. */
  socketTable(table: SocketTableName): Result<SocketTable> {
    const r = this.socketTableText(table);
    return r.ok ? ok(parseSocketTable(r.value.text, table, r.value.file)) : r;
  }

  /** <proc>/net/<table> as text, and its path, for pollers that decode only what is new. */
  socketTableText(table: SocketTableName): Result<{ text: string; file: string }> {
    const file = join(this.procRoot, 'net', table);
    const r = this.read(file);
    if ('text' in r) return ok({ text: r.text, file });
    if (r.errno === 'ENOENT') return ok({ text: '', file });
    return fail('VIGIE_PROC_READ', `${r.errno} reading ${file}`, { file });
  }

  /** The text of <etc>/passwd. */
  passwd(): Result<string> {
    return this.text(join(this.etcRoot, 'passwd'));
  }
}
