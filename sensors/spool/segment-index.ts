/**
 * What the spool keeps in memory about one segment file: where each record starts, its event
 * count, and whether it is settled (acked or dropped). Never payloads: a fleet of thousands of
 * simulated sensors holds only these indexes. Records in a segment have consecutive seqs, so a
 * record is found by `seq - firstSeq`.
 */
import { HEADER_BYTES } from './record.js';

export type SettledRange = [first: number, last: number];

export class SegmentIndex {
  readonly firstSeq: number;
  readonly name: string;
  /** Bytes of the file that hold whole records. */
  bytes = 0;
  unackedBatches = 0;
  unackedEvents = 0;
  private readonly offsets: number[] = [];
  private readonly events: number[] = [];
  private settled = new Uint8Array(8);
  /** No unsettled record below this index: firstUnsettled() is amortised O(1). */
  private cursor = 0;

  constructor(firstSeq: number, name: string) {
    this.firstSeq = firstSeq;
    this.name = name;
  }

  get count(): number {
    return this.offsets.length;
  }

  /** Seq the next record of this segment must carry. */
  get endSeq(): number {
    return this.firstSeq + this.offsets.length;
  }

  /** Indexes a record written at the end of the file. */
  add(events: number, payloadLength: number, settled: boolean): void {
    const i = this.offsets.length;
    if (i === this.settled.length) {
      const grown = new Uint8Array(i * 2);
      grown.set(this.settled);
      this.settled = grown;
    }
    this.offsets.push(this.bytes);
    this.events.push(events);
    this.settled[i] = settled ? 1 : 0;
    if (!settled) {
      this.unackedBatches += 1;
      this.unackedEvents += events;
    }
    this.bytes += HEADER_BYTES + payloadLength;
  }

  /** Marks `seq` settled; returns its event count, or -1 when it is not here or already settled. */
  settle(seq: number): number {
    const i = seq - this.firstSeq;
    if (!Number.isInteger(i) || i < 0 || i >= this.offsets.length || this.settled[i] === 1) return -1;
    this.settled[i] = 1;
    const events = this.events[i]!;
    this.unackedBatches -= 1;
    this.unackedEvents -= events;
    return events;
  }

  firstUnsettled(): number | undefined {
    if (this.unackedBatches === 0) return undefined;
    while (this.settled[this.cursor] === 1) this.cursor += 1;
    return this.firstSeq + this.cursor;
  }

  /** Unsettled seqs >= fromSeq, in order. */
  *unsettledFrom(fromSeq: number): Generator<number> {
    const start = Math.max(fromSeq - this.firstSeq, this.cursor, 0);
    for (let i = start; i < this.offsets.length; i++) if (this.settled[i] === 0) yield this.firstSeq + i;
  }

  /** Byte range of record `seq` (header + payload) in the file. */
  span(seq: number): { offset: number; length: number; events: number } {
    const i = seq - this.firstSeq;
    const offset = this.offsets[i]!;
    const end = i + 1 < this.offsets.length ? this.offsets[i + 1]! : this.bytes;
    return { offset, length: end - offset, events: this.events[i]! };
  }

  /** Settled seqs as inclusive ranges: short when acks arrive in order, which is the usual case. */
  settledRanges(): SettledRange[] {
    const out: SettledRange[] = [];
    let start = -1;
    for (let i = 0; i <= this.offsets.length; i++) {
      const s = i < this.offsets.length && this.settled[i] === 1;
      if (s && start < 0) start = i;
      if (!s && start >= 0) {
        out.push([this.firstSeq + start, this.firstSeq + i - 1]);
        start = -1;
      }
    }
    return out;
  }
}
