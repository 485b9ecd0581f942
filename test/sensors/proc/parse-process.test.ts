import { describe, expect, it } from 'vitest';
import {
  CLK_TCK, ageMs, isKernelThread, joinCmdline, parseBootTimeMs, parseCmdline, parseStat, parseStatus,
  parseUptimeMs, startTimeMs,
} from '../../../sensors/proc/index.js';

// A real line of this host's /proc/self/stat, then variants of its comm.
const CAT = '15416 (cat) R 15412 15412 2781 0 -1 4194304 100 0 0 0 0 0 0 0 20 0 1 0 98627 3133440 359 '
  + '18446744073709551615 94587681972224 94587681992105 140723223812672 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 '
  + '94587682008112 94587682009728 94588499750912 140723223821025 140723223821045 140723223821045 140723223822315 0\n';
const tail = CAT.slice(CAT.indexOf(') ') + 1);

describe('parseStat', () => {
  it('reads pid, comm, state, ppid, flags and starttime of a real line', () => {
    const r = parseStat(CAT);
    expect(r).toEqual({ ok: true, value: { pid: 15416, comm: 'cat', state: 'R', ppid: 15412, flags: 4194304, startTicks: 98627 } });
  });

  it('keeps spaces and parentheses in comm (split at the last ")")', () => {
    const r = parseStat(`4242 (my (evil) ) proc)${tail}`);
    expect(r.ok && r.value.comm).toBe('my (evil) ) proc');
    expect(r.ok && r.value.ppid).toBe(15412);
    expect(r.ok && r.value.startTicks).toBe(98627);
  });

  it('keeps comm as the kernel printed it (no percent-decoding)', () => {
    const r = parseStat(`4243 (a%41b)${tail}`);
    expect(r.ok && r.value.comm).toBe('a%41b');
  });

  it('a comm made to look like more fields does not shift them', () => {
    const r = parseStat(`77 (x) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 )${tail}`);
    expect(r.ok && r.value.pid).toBe(77);
    expect(r.ok && r.value.ppid).toBe(15412);
    expect(r.ok && r.value.startTicks).toBe(98627);
  });

  it('a kernel thread has PF_KTHREAD in its flags', () => {
    const kthread = parseStat('2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 1 0 0 18446744073709551615 0 0 0 0 0 0 0 2147483647 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n');
    expect(kthread.ok && isKernelThread(kthread.value)).toBe(true);
    const cat = parseStat(CAT);
    expect(cat.ok && isKernelThread(cat.value)).toBe(false);
  });

  it('rejects text without (comm), and a truncated line, with VIGIE_PROC_PARSE', () => {
    for (const text of ['', 'garbage', '12 (x) S 1 2 3\n']) {
      const r = parseStat(text, '/proc/12/stat');
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('VIGIE_PROC_PARSE');
        expect(r.error.location?.file).toBe('/proc/12/stat');
      }
    }
  });
});

describe('parseStatus', () => {
  const status = 'Name:\tsudo\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t900\nPid:\t900\nPPid:\t899\n'
    + 'TracerPid:\t0\nUid:\t1000\t0\t0\t0\nGid:\t1000\t27\t27\t27\nFDSize:\t64\nGroups:\t27 1000 \n';

  it('reads name, ppid and the effective uid/gid (what the process may do)', () => {
    expect(parseStatus(status)).toEqual({ ok: true,
      value: { name: 'sudo', ppid: 899, uid: 0, gid: 27, realUid: 1000, realGid: 1000 } });
  });

  it('finds the lines wherever they are, and a name with spaces', () => {
    expect(parseStatus('Uid:\t5\t6\t7\t8\nGid:  9 10 11 12\nName:\tmy prog \n')).toEqual({ ok: true,
      value: { name: 'my prog', ppid: 0, uid: 6, gid: 10, realUid: 5, realGid: 9 } });
    expect(parseStatus('XUid:\t1\t1\t1\t1\nGid:\t0\t0\t0\t0\n').ok).toBe(false); // not a Uid line
  });

  it('rejects a status without Uid or Gid', () => {
    const noUid = parseStatus('Name:\tx\nPPid:\t1\nGid:\t0\t0\t0\t0\n');
    expect(!noUid.ok && noUid.error.location?.field).toBe('Uid');
    const noGid = parseStatus('Name:\tx\nUid:\t0\t0\t0\t0\n');
    expect(!noGid.ok && noGid.error.location?.field).toBe('Gid');
  });
});

describe('parseCmdline', () => {
  it('splits on NUL and drops the trailing one', () => {
    expect(parseCmdline('/bin/sleep\x002\x00vigie marker\x00')).toEqual(['/bin/sleep', '2', 'vigie marker']);
  });
  it('keeps the last argument when there is no trailing NUL (setproctitle)', () => {
    expect(parseCmdline('nginx: master process /usr/sbin/nginx')).toEqual(['nginx: master process /usr/sbin/nginx']);
    expect(parseCmdline('a\x00b')).toEqual(['a', 'b']);
  });
  it('keeps empty arguments in the middle', () => {
    expect(parseCmdline('echo\x00\x00x\x00')).toEqual(['echo', '', 'x']);
  });
  it('is empty for kernel threads and zombies', () => {
    expect(parseCmdline('')).toEqual([]);
  });
  it('joins with spaces', () => {
    expect(joinCmdline(['/bin/sh', '-c', 'echo hi'])).toBe('/bin/sh -c echo hi');
  });
});

describe('boot time, uptime and start time', () => {
  it('reads btime from /proc/stat', () => {
    expect(parseBootTimeMs('cpu  1 2 3 4\nintr 5 6\nbtime 1700000000\nprocesses 10\n')).toEqual({ ok: true, value: 1_700_000_000_000 });
    const none = parseBootTimeMs('cpu  1 2 3 4\n');
    expect(!none.ok && none.error.code).toBe('VIGIE_PROC_PARSE');
  });

  it('start time = boot + ticks / CLK_TCK', () => {
    expect(CLK_TCK).toBe(100);
    expect(startTimeMs(1_700_000_000_000, 98627)).toBe(1_700_000_986_270);
    expect(startTimeMs(1_700_000_000_000, 0)).toBe(1_700_000_000_000);
  });

  it('reads uptime and computes a process age', () => {
    expect(parseUptimeMs('892.51 1404.77\n')).toEqual({ ok: true, value: 892_510 });
    expect(parseUptimeMs('x').ok).toBe(false);
    expect(ageMs(892_510, 89_200)).toBe(510);
  });
});
