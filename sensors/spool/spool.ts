/**
 * The sensor's on-disk spool: every encoded batch is appended here before it is sent, and stays
 * until the engine acks it. Bounded in bytes; overflow drops the oldest segment and counts it.
 *
 * Why seqs never go backwards. The engine deduplicates by (sensor, seq): a seq reused after a
 * restart would make it discard new telemetry as a duplicate of something it already has. The
 * segment files cannot be trusted to remember the highest seq ever used: acked segments are
 * deleted, and without fsync a power cut can lose the tail of the active segment after its
 * batches were sent. So the state file carries a reservation: no seq at or above `reservedSeq` is
 * handed out before a state file saying so is on disk (fdatasync, rename, directory fsync). The
 * reservation grows in blocks of RESERVE_BLOCK, costing one durable write per block. On open,
 * nextSeq = max(state nextSeq, reservedSeq, last seq on disk + 1). A clean close() gives back the
 * unused part of the block; after a crash, up to one block of seqs is skipped. Seqs are strictly
 * increasing, not contiguous: a gap is not loss (loss is in the counters).
 *
 * Why losing recent acks is fine. Acks are not written one by one (that would be a state write
 * per batch); the state is written when it matters: a segment deletion (before the unlink), a
 * drop, a reservation, open and close. A crash forgets acks since the last write: those batches
 * come back unacked and are re-sent, and the engine deduplicates them. Counters are read from the
 * same state file, so they agree with what came back (see recovery.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fail, ok, type Result } from '../../common/errors.js';
import { resolveSpoolOptions, type ResolvedSpoolOptions } from './options.js';
import { encodeHeader, HEADER_BYTES, segmentName } from './record.js';
import { recover, type Recovered } from './recovery.js';
import { readUnsettled, unlinkQuiet, writeAllAt } from './segment-file.js';
import { SegmentIndex } from './segment-index.js';
import { syncDir, writeState, type SpoolState } from './state-file.js';
import type { SpoolCounters, SpoolEntry, SpoolOptions, SpoolStats } from './types.js';

/** Seqs reserved per durable state write. Large enough to be rare, small against 2^53. */
export const RESERVE_BLOCK = 1 << 16;

interface Active { seg: SegmentIndex; fd: number }

export class Spool {
  /** What recovery found damaged at open (already counted in corruptRecords), for the agent's log. */
  readonly damageAtOpen: readonly string[];
  private readonly o: ResolvedSpoolOptions;
  private readonly segments: SegmentIndex[];
  private readonly c: SpoolCounters;
  private active: Active | null = null;
  private seq: number;
  private reservedSeq: number;
  private bytes = 0;
  private unackedBatches = 0;
  private unackedEvents = 0;
  private ioErrors = 0;
  private closed = false;

  private constructor(o: ResolvedSpoolOptions, r: Recovered) {
    this.o = o;
    this.segments = r.segments;
    this.c = r.counters;
    this.seq = r.nextSeq;
    this.reservedSeq = r.reservedSeq;
    this.damageAtOpen = r.damage;
    for (const s of r.segments) {
      this.bytes += s.bytes;
      this.unackedBatches += s.unackedBatches;
      this.unackedEvents += s.unackedEvents;
    }
  }

  /** Validates options, recovers the directory (sync) and records the outcome in spool.json. */
  static open(options: SpoolOptions): Result<Spool> {
    const o = resolveSpoolOptions(options);
    if (!o.ok) return o;
    const r = recover(o.value.dir);
    if (!r.ok) return r;
    const spool = new Spool(o.value, r.value);
    try {
      spool.persist(o.value.fsync);
    } catch (e) {
      return fail('VIGIE_SPOOL_IO', `cannot write the spool state: ${(e as Error).message}`, { file: o.value.dir });
    }
    return ok(spool);
  }

  nextSeq(): number {
    return this.seq;
  }

  /**
   * Writes a batch under seq = nextSeq(). Refused with VIGIE_SPOOL_RECORD_TOO_LARGE when header +
   * payload exceed maxBytes (nothing is counted: the caller still holds the batch and must count
   * its loss), and VIGIE_SPOOL_IO when the disk fails (the seq is not consumed). Either way the
   * spool is unchanged apart from overflow drops already made, and stays usable.
   */
  append(events: number, payload: Uint8Array): Result<SpoolEntry> {
    this.assertOpen();
    if (!Number.isInteger(events) || events < 0 || events > 0xffff_ffff) throw new RangeError(`events must be a u32, got ${events}`);
    const recordBytes = HEADER_BYTES + payload.length;
    if (recordBytes > this.o.maxBytes) {
      return fail('VIGIE_SPOOL_RECORD_TOO_LARGE', `a ${payload.length}-byte batch cannot fit a ${this.o.maxBytes}-byte spool`, { file: this.o.dir, field: 'maxBytes' });
    }
    const seq = this.seq;
    if (seq >= this.reservedSeq) {
      const reserved = this.reserve(seq);
      if (!reserved.ok) return reserved;
    }
    const a = this.active;
    if (a !== null && a.seg.bytes > 0 && a.seg.bytes + recordBytes > this.o.segmentBytes) this.seal();
    // Oldest first; the active segment only when it is the oldest and the record still does not fit.
    while (this.bytes + recordBytes > this.o.maxBytes && this.segments.length > 0) this.evict(this.segments[0]!);
    let act: Active | null = this.active;
    try {
      act ??= this.startSegment(seq);
      writeAllAt(act.fd, [encodeHeader(seq, events, payload), payload], act.seg.bytes);
      if (this.o.fsync) fs.fdatasyncSync(act.fd);
    } catch (e) {
      this.abandonTail();
      return fail('VIGIE_SPOOL_IO', `cannot append batch ${seq}: ${(e as Error).message}`, { file: this.o.dir });
    }
    act.seg.add(events, payload.length, false);
    this.bytes += recordBytes;
    this.unackedBatches += 1;
    this.unackedEvents += events;
    this.c.appendedBatches += 1;
    this.c.appendedEvents += events;
    this.seq = seq + 1;
    return ok({ seq, events, payload });
  }

  /** The engine has the batch. Idempotent; an unknown seq is ignored. */
  ack(seq: number): void {
    this.assertOpen();
    this.settle(seq, true);
  }

  /** The engine rejected the batch for good: it leaves the unacked set and is counted as dropped. */
  drop(seq: number): void {
    this.assertOpen();
    this.settle(seq, false);
  }

  firstUnackedSeq(): number {
    for (const s of this.segments) {
      const first = s.firstUnsettled();
      if (first !== undefined) return first;
    }
    return this.seq;
  }

  unackedCount(): number {
    return this.unackedBatches;
  }

  /**
   * Up to maxEntries unacked batches with seq >= fromSeq, in seq order, read from disk. A record
   * that fails its CRC here (damage after open) is counted corrupt and dropped, never returned.
   */
  readUnacked(fromSeq: number, maxEntries: number): SpoolEntry[] {
    this.assertOpen();
    const out: SpoolEntry[] = [];
    const damaged: number[] = [];
    const unreadable: SegmentIndex[] = [];
    for (const seg of this.segments) {
      if (out.length >= maxEntries) break;
      if (seg.endSeq <= fromSeq || seg.unackedBatches === 0) continue;
      const before = out.length;
      try {
        const file = path.join(this.o.dir, seg.name);
        readUnsettled(file, this.active?.seg === seg ? this.active.fd : undefined, seg, fromSeq, maxEntries, out, damaged);
      } catch {
        out.length = before; // gone or unreadable: its batches are dropped below, so not sent
        unreadable.push(seg);
      }
    }
    for (const seq of damaged) {
      this.c.corruptRecords += 1;
      this.settle(seq, false);
    }
    for (const seg of unreadable) {
      this.c.corruptRecords += 1;
      if (this.segments.includes(seg)) this.evict(seg);
    }
    return out;
  }

  stats(): SpoolStats {
    return {
      bytes: this.bytes,
      segments: this.segments.length,
      unackedBatches: this.unackedBatches,
      unackedEvents: this.unackedEvents,
      ioErrors: this.ioErrors,
    };
  }

  counters(): SpoolCounters {
    return { ...this.c };
  }

  /** Closes the active segment and writes the state, giving back the unused seq reservation. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.closeActiveFd();
    this.reservedSeq = this.seq;
    this.persistQuiet(this.o.fsync);
  }

  private settle(seq: number, acked: boolean): void {
    const seg = this.find(seq);
    const events = seg ? seg.settle(seq) : -1;
    if (seg === undefined || events < 0) return;
    this.unackedBatches -= 1;
    this.unackedEvents -= events;
    if (acked) {
      this.c.ackedBatches += 1;
      this.c.ackedEvents += events;
    } else {
      this.c.droppedBatches += 1;
      this.c.droppedEvents += events;
    }
    if (seg.unackedBatches === 0 && this.active?.seg !== seg) this.remove(seg);
    else if (!acked) this.persistQuiet(this.o.fsync);
  }

  /** The segment holding `seq`, by binary search (segments are in seq order). */
  private find(seq: number): SegmentIndex | undefined {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.segments[mid]!;
      if (seq < s.firstSeq) hi = mid - 1;
      else if (seq >= s.endSeq) lo = mid + 1;
      else return s;
    }
    return undefined;
  }

  private reserve(seq: number): Result<void> {
    const previous = this.reservedSeq;
    this.reservedSeq = seq + RESERVE_BLOCK;
    try {
      this.persist(true);
      return ok(undefined);
    } catch (e) {
      this.reservedSeq = previous;
      return fail('VIGIE_SPOOL_IO', `cannot reserve seqs in the spool state: ${(e as Error).message}`, { file: this.o.dir });
    }
  }

  private startSegment(seq: number): Active {
    const seg = new SegmentIndex(seq, segmentName(seq));
    const fd = fs.openSync(path.join(this.o.dir, seg.name), 'wx+');
    this.segments.push(seg);
    this.active = { seg, fd };
    if (this.o.fsync) syncDir(this.o.dir);
    return this.active;
  }

  /** After a failed write: cut the partial record so the file ends on a record boundary. */
  private abandonTail(): void {
    const a = this.active;
    if (a === null) return;
    try {
      fs.ftruncateSync(a.fd, a.seg.bytes);
    } catch {
      this.ioErrors += 1;
      this.seal(); // the tail stays damaged; recovery will cut it, the next append starts afresh
    }
    if (a.seg.count === 0) this.remove(a.seg);
  }

  /** Stops appending to the active segment; deletes it at once if nothing in it is unacked. */
  private seal(): void {
    const a = this.active;
    if (a === null) return;
    this.closeActiveFd();
    if (a.seg.unackedBatches === 0) this.remove(a.seg);
  }

  /** Overflow (or an unreadable segment): its unacked batches are dropped, and counted. */
  private evict(seg: SegmentIndex): void {
    this.c.droppedBatches += seg.unackedBatches;
    this.c.droppedEvents += seg.unackedEvents;
    this.unackedBatches -= seg.unackedBatches;
    this.unackedEvents -= seg.unackedEvents;
    this.remove(seg);
  }

  /** Forgets a segment, writes the state (so a crash cannot resurrect it), then deletes the file. */
  private remove(seg: SegmentIndex): void {
    const i = this.segments.indexOf(seg);
    if (i < 0) return;
    if (this.active?.seg === seg) this.closeActiveFd();
    this.segments.splice(i, 1);
    this.bytes -= seg.bytes;
    this.persistQuiet(this.o.fsync);
    if (!unlinkQuiet(path.join(this.o.dir, seg.name))) this.ioErrors += 1;
  }

  private closeActiveFd(): void {
    if (this.active === null) return;
    const { fd } = this.active;
    this.active = null;
    try {
      fs.closeSync(fd);
    } catch {
      this.ioErrors += 1;
    }
  }

  private persist(durableName: boolean): void {
    writeState(this.o.dir, this.snapshot(), durableName);
  }

  /** A state write that may fail: the previous state stays valid (see recovery.ts), so count and go on. */
  private persistQuiet(durableName: boolean): void {
    try {
      this.persist(durableName);
    } catch {
      this.ioErrors += 1;
    }
  }

  private snapshot(): SpoolState {
    return {
      nextSeq: this.seq,
      reservedSeq: this.reservedSeq,
      unackedBatches: this.unackedBatches,
      unackedEvents: this.unackedEvents,
      counters: { ...this.c },
      segments: this.segments.map((s) => ({ first: s.firstSeq, settled: s.settledRanges() })),
    };
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`spool ${this.o.dir} is closed`);
  }
}
