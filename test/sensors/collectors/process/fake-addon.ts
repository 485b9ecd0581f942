/**
 * A stand-in for the vigie_netlink addon: records what open() was given and lets a test hand the
 * collector packed record batches, as the C code does.
 */
import type { NetlinkAddon, NetlinkHandle } from '../../../../sensors/collectors/process/index.js';
import {
  PROC_EVENT_EXEC, PROC_EVENT_EXIT, PROC_EVENT_FORK, PROC_EVENT_NONE, RECORD_SIZE,
} from '../../../../sensors/collectors/process/netlink-records.js';

export interface RawRecord {
  what: number;
  a?: number;
  b?: number;
  c?: number;
  d?: number;
  cpu?: number;
  ns?: bigint;
}

/** Packs records in the addon's layout (little-endian, RECORD_SIZE bytes each). */
export function pack(records: RawRecord[]): Buffer {
  const buf = Buffer.alloc(records.length * RECORD_SIZE);
  records.forEach((r, i) => {
    const o = i * RECORD_SIZE;
    buf.writeUInt32LE(r.what >>> 0, o);
    buf.writeUInt32LE(r.a ?? 0, o + 4);
    buf.writeUInt32LE(r.b ?? 0, o + 8);
    buf.writeUInt32LE(r.c ?? 0, o + 12);
    buf.writeUInt32LE(r.d ?? 0, o + 16);
    buf.writeUInt32LE(r.cpu ?? 0, o + 20);
    buf.writeBigUInt64LE(r.ns ?? 0n, o + 24);
  });
  return buf;
}

export const ack = (ackNo: number, err = 0): RawRecord => ({ what: PROC_EVENT_NONE, a: err, b: 7, c: ackNo });
export const fork = (child: number, parent: number, ns = 0n): RawRecord => ({ what: PROC_EVENT_FORK, a: child, b: parent, ns });
export const exec = (pid: number, ns = 0n): RawRecord => ({ what: PROC_EVENT_EXEC, a: pid, b: pid, ns });
export const exit = (pid: number, ppid: number, waitStatus = 0, ns = 0n): RawRecord =>
  ({ what: PROC_EVENT_EXIT, a: pid, b: ppid, c: waitStatus, d: 17, ns });

export type AckBehaviour = 'ack' | 'refuse' | 'silent' | 'throw-eperm';

export class FakeAddon implements NetlinkAddon {
  readonly recordSize = RECORD_SIZE;
  seq = -1;
  receiveBufferBytes = -1;
  split: boolean | undefined;
  closed = false;
  overruns = 0;
  private onBatch: ((records: Buffer, overruns: number) => void) | undefined;
  private onError: ((message: string, errno: number) => void) | undefined;

  constructor(private readonly behaviour: AckBehaviour = 'ack') {}

  open(receiveBufferBytes: number, seq: number, onBatch: (r: Buffer, o: number) => void,
    onError: (m: string, e: number) => void, split?: boolean): NetlinkHandle {
    if (this.behaviour === 'throw-eperm') {
      throw Object.assign(new Error('bind(CN_IDX_PROC): Operation not permitted'), { code: 'EPERM' });
    }
    this.seq = seq;
    this.receiveBufferBytes = receiveBufferBytes;
    this.split = split;
    this.onBatch = onBatch;
    this.onError = onError;
    // Another listener's ack first (must be ignored), then ours, as the kernel multicasts both.
    if (this.behaviour !== 'silent') {
      setImmediate(() => this.batch([ack(seq + 12345), ack(seq + 1, this.behaviour === 'refuse' ? 1 : 0)]));
    }
    return { close: () => { this.closed = true; }, portId: 4242 };
  }

  /** Delivers one batch, as one drain of the socket does. */
  batch(records: RawRecord[], newOverruns = 0): void {
    if (this.closed) throw new Error('batch after close');
    this.overruns += newOverruns;
    this.onBatch?.(pack(records), this.overruns);
  }

  fail(message: string): void {
    this.onError?.(message, 5);
  }
}
