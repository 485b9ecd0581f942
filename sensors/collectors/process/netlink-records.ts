/**
 * Decoding of the packed records the vigie_netlink addon hands over (layout documented in
 * sensors/native/vigie_netlink.c). Pure: tested on literal bytes.
 */

export const RECORD_SIZE = 32;

/** The kernel's proc_event.what values (linux/cn_proc.h) that the addon passes on. */
export const PROC_EVENT_NONE = 0x00000000;
export const PROC_EVENT_FORK = 0x00000001;
export const PROC_EVENT_EXEC = 0x00000002;
export const PROC_EVENT_EXIT = 0x80000000;

export type NetlinkRecord =
  /** The kernel's answer to our subscription (or to another listener's). */
  | { kind: 'ack'; err: number; ack: number; timestampNs: bigint }
  | { kind: 'fork'; pid: number; ppid: number; timestampNs: bigint }
  | { kind: 'exec'; pid: number; timestampNs: bigint }
  | { kind: 'exit'; pid: number; ppid: number; waitStatus: number; timestampNs: bigint };

export function decodeRecords(buf: Uint8Array): NetlinkRecord[] {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out: NetlinkRecord[] = [];
  for (let o = 0; o + RECORD_SIZE <= buf.byteLength; o += RECORD_SIZE) {
    const what = view.getUint32(o, true);
    const a = view.getUint32(o + 4, true);
    const b = view.getUint32(o + 8, true);
    const c = view.getUint32(o + 12, true);
    const timestampNs = view.getBigUint64(o + 24, true);
    switch (what) {
      case PROC_EVENT_NONE: out.push({ kind: 'ack', err: a, ack: c, timestampNs }); break;
      case PROC_EVENT_FORK: out.push({ kind: 'fork', pid: a, ppid: b, timestampNs }); break;
      case PROC_EVENT_EXEC: out.push({ kind: 'exec', pid: a, timestampNs }); break;
      case PROC_EVENT_EXIT: out.push({ kind: 'exit', pid: a, ppid: b, waitStatus: c, timestampNs }); break;
      default: break; // the addon filters other kinds; ignore rather than guess
    }
  }
  return out;
}

/**
 * The exit code of a wait status (task->exit_code): the exit status for a normal exit, and
 * 128 + the signal number for a process killed by a signal (the shell's convention).
 */
export function exitCodeOf(waitStatus: number): number {
  const signal = waitStatus & 0x7f;
  return signal === 0 ? (waitStatus >> 8) & 0xff : 128 + signal;
}
