/**
 * Delivery: moves spooled frames to the engine and retires them on acks. At most `maxInFlight`
 * frames wait for acks; when no ack comes for `ackTimeoutMs`, everything unacked is sent again
 * from the oldest (the engine recognises duplicates by sensor id and seq, so this is safe).
 * A STORED or DUPLICATE ack deletes the frame from the spool; a REJECTED ack drops it, counted.
 */
import { AckStatus } from '../../common/events.js';
import { batchFrames } from '../../common/wire/frames.js';
import type { vigie } from '../../proto/gen/vigie.js';
import type { Spool, SpoolEntry } from '../spool/index.js';
import type { Transport } from './transport.js';

export interface DeliveryCounters {
  sent: number;
  resent: number;
  acked: number;
  duplicates: number;
  rejected: number;
  rewinds: number;
  sendTimeouts: number;
}

export class Delivery {
  readonly counters: DeliveryCounters = { sent: 0, resent: 0, acked: 0, duplicates: 0, rejected: 0, rewinds: 0, sendTimeouts: 0 };
  readonly rejections = new Map<string, number>();
  private nextSeq: number;
  private readonly inFlight = new Set<number>();
  private pumping = false;
  private lastProgressMs = Date.now();
  private highestSent = -1;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private generation = 0;
  /** Frames just appended, still in memory: sent without reading them back from the spool. */
  private fresh: SpoolEntry[] = [];

  constructor(
    private readonly spool: Spool,
    private readonly transport: Transport,
    private readonly maxInFlight: number,
    private readonly ackTimeoutMs: number,
  ) {
    this.nextSeq = spool.firstUnackedSeq();
  }

  start(): void {
    this.timer = setInterval(() => this.checkTimeout(), Math.max(25, Math.floor(this.ackTimeoutMs / 4)));
    this.timer.unref();
    this.kick();
  }

  /** A frame just appended to the spool: kept in memory (bounded) so it is sent without a read. */
  offer(entry: SpoolEntry): void {
    if (this.fresh.length < this.maxInFlight * 4) this.fresh.push(entry);
    this.kick();
  }

  /** Something new is in the spool, or room opened in the window. */
  kick(): void {
    if (!this.pumping && !this.stopped) void this.pump();
  }

  onAck(ack: vigie.v1.Ack): void {
    const seq = ack.seq;
    if (ack.status === AckStatus.ACK_STATUS_REJECTED) {
      this.counters.rejected++;
      const code = ack.errorCode || 'VIGIE_UNKNOWN';
      this.rejections.set(code, (this.rejections.get(code) ?? 0) + 1);
      this.spool.drop(seq);
    } else {
      if (ack.status === AckStatus.ACK_STATUS_DUPLICATE) this.counters.duplicates++;
      else this.counters.acked++;
      this.spool.ack(seq);
    }
    this.inFlight.delete(seq);
    this.lastProgressMs = Date.now();
    this.kick();
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      while (!this.stopped && this.inFlight.size < this.maxInFlight) {
        if (this.nextSeq < this.spool.firstUnackedSeq()) this.nextSeq = this.spool.firstUnackedSeq();
        const entries = this.nextEntries(this.maxInFlight - this.inFlight.size);
        if (entries.length === 0) break;
        const generation = this.generation;
        for (const entry of entries) {
          const ok = await this.transport.send(batchFrames(entry.payload));
          if (generation !== this.generation) break; // rewound while we waited: start over
          if (!ok) {
            this.counters.sendTimeouts++;
            return;
          }
          if (entry.seq <= this.highestSent) this.counters.resent++;
          else this.highestSent = entry.seq;
          this.counters.sent++;
          if (this.inFlight.size === 0) this.lastProgressMs = Date.now();
          this.inFlight.add(entry.seq);
          this.nextSeq = entry.seq + 1;
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  /** The next frames to send from nextSeq on: from memory when they are there, else from disk. */
  private nextEntries(max: number): SpoolEntry[] {
    while (this.fresh.length > 0 && this.fresh[0]!.seq < this.nextSeq) this.fresh.shift();
    if (this.fresh.length > 0 && this.fresh[0]!.seq === this.nextSeq) {
      const out: SpoolEntry[] = [];
      // Only frames still unacked (a drop-oldest overflow may have removed some).
      const first = this.spool.firstUnackedSeq();
      for (const e of this.fresh) {
        if (out.length >= max || e.seq !== this.nextSeq + out.length) break;
        if (e.seq >= first) out.push(e);
      }
      if (out.length > 0) return out;
    }
    return this.spool.readUnacked(this.nextSeq, max);
  }

  private checkTimeout(): void {
    const now = Date.now();
    if (this.spool.unackedCount() === 0) {
      this.lastProgressMs = now;
      return;
    }
    if (now - this.lastProgressMs < this.ackTimeoutMs) {
      if (this.inFlight.size < this.maxInFlight) this.kick();
      return;
    }
    // No progress: the engine restarted, the network dropped our frames, or acks were lost.
    this.counters.rewinds++;
    this.generation++;
    this.inFlight.clear();
    this.fresh = [];
    this.nextSeq = this.spool.firstUnackedSeq();
    this.lastProgressMs = now;
    this.kick();
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
  }
}
