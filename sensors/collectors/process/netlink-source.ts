/**
 * The kernel's process-events connector as a source of decoded records.
 *
 * Opening is a handshake: the addon subscribes (PROC_CN_MCAST_LISTEN) and the kernel answers with
 * an acknowledgement carrying an error number. The source waits for that answer: a refusal
 * (EPERM without CAP_NET_ADMIN on older kernels) and silence (a kernel that ignores
 * listeners outside the initial pid or user namespace, as in most containers) both mean "no
 * events will ever come", which must become a fallback, not an agent that watches nothing.
 * Acknowledgements are multicast to every listener: ours is the one echoing our sequence number.
 */
import { randomInt } from 'node:crypto';
import { fail, ok } from '../../../common/errors.js';
import type { Result } from '../../../common/errors.js';
import type { NetlinkAddon, NetlinkHandle } from './netlink-addon.js';
import { RECORD_SIZE, decodeRecords } from './netlink-records.js';
import type { NetlinkRecord } from './netlink-records.js';

export interface NetlinkSourceOptions {
  receiveBufferBytes: number;
  ackTimeoutMs: number;
  /** Execs apart from forks and exits (see NetlinkAddon.open). */
  split?: boolean;
  /** Records kept while the collector seeds its table before resume(); beyond: counted as lost. */
  maxBuffered?: number;
}

export interface NetlinkListener {
  /**
   * A drained batch, and the overruns since the previous one: each is at least one kernel event
   * lost (ENOBUFS does not say how many), or one record dropped while buffering before resume().
   */
  records(records: NetlinkRecord[], overruns: number): void;
  /** The socket failed after opening: no more records will come. */
  failed(message: string): void;
}

export class NetlinkSource {
  private listener: NetlinkListener | undefined;
  private buffered: NetlinkRecord[] = [];
  private bufferedLost = 0;
  private overrunsSeen = 0;
  private closed = false;

  private constructor(private handle: NetlinkHandle | undefined, private readonly maxBuffered: number) {}

  static async open(addon: NetlinkAddon, options: NetlinkSourceOptions): Promise<Result<NetlinkSource>> {
    if (addon.recordSize !== RECORD_SIZE) {
      return fail('VIGIE_NETLINK_UNAVAILABLE', `native addon record size ${addon.recordSize}, expected ${RECORD_SIZE} (stale build?)`);
    }
    const seq = randomInt(1, 0x7fffffff);
    const source = new NetlinkSource(undefined, options.maxBuffered ?? 65_536);
    let settle: (r: Result<NetlinkSource>) => void = () => {};
    const handshake = new Promise<Result<NetlinkSource>>((resolve) => { settle = resolve; });
    let acked = false;
    const onBatch = (buf: Buffer, overruns: number): void => {
      const records = decodeRecords(buf);
      if (!acked) {
        const ours = records.find((r) => r.kind === 'ack' && r.ack === seq + 1);
        if (ours?.kind === 'ack' && ours.err !== 0) {
          settle(fail('VIGIE_NETLINK_UNAVAILABLE', `the kernel refused the subscription (errno ${ours.err})`));
          return;
        }
        if (ours) acked = true;
      }
      source.deliver(records, overruns);
      if (acked) settle(ok(source));
    };
    const onError = (message: string): void => {
      if (!acked) settle(fail('VIGIE_NETLINK_UNAVAILABLE', message));
      else source.fail(message);
    };
    try {
      source.handle = addon.open(options.receiveBufferBytes, seq, onBatch, onError, options.split ?? false);
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      return fail('VIGIE_NETLINK_UNAVAILABLE', `${String(code ?? 'error')}: ${(e as Error).message}`);
    }
    const timer = setTimeout(() => settle(fail('VIGIE_NETLINK_UNAVAILABLE',
      `no acknowledgement from the kernel within ${options.ackTimeoutMs} ms (not in the initial pid/user namespace?)`)),
    options.ackTimeoutMs);
    const result = await handshake;
    clearTimeout(timer);
    if (!result.ok) source.close();
    return result;
  }

  /** Starts delivering to the listener, beginning with what arrived since the handshake. */
  resume(listener: NetlinkListener): void {
    this.listener = listener;
    const records = this.buffered.filter((r) => r.kind !== 'ack');
    const lost = this.bufferedLost;
    this.buffered = [];
    this.bufferedLost = 0;
    if (records.length > 0 || lost > 0) listener.records(records, lost);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.listener = undefined;
    this.handle?.close();
  }

  private deliver(records: NetlinkRecord[], overruns: number): void {
    if (this.closed) return;
    const lost = overruns - this.overrunsSeen;
    this.overrunsSeen = overruns;
    if (this.listener) {
      this.listener.records(records.filter((r) => r.kind !== 'ack'), lost);
      return;
    }
    const room = this.maxBuffered - this.buffered.length;
    this.buffered.push(...records.slice(0, Math.max(0, room)));
    this.bufferedLost += lost + Math.max(0, records.length - room);
  }

  private fail(message: string): void {
    const listener = this.listener;
    this.close();
    listener?.failed(message);
  }
}
