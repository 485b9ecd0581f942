import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RESERVE_BLOCK, Spool } from '../../../sensors/spool/index.js';
import { appendOk, crash, diskBytes, identityHolds, openOk, payloadFor, segmentFiles, tempDir } from './helpers.js';

const P = 226; // 250-byte records, four per 1000-byte segment
const opts = (dir: string) => ({ dir, maxBytes: 100_000, segmentBytes: 1000 });
const cleanups: Array<() => void> = [];
function fresh(label: string): string {
  const t = tempDir(label);
  cleanups.push(t.cleanup);
  return t.dir;
}
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function intactPayloads(s: Spool, sizeOf: (seq: number) => number): boolean {
  return s.readUnacked(0, 1e6).every((e) => Buffer.from(e.payload).equals(Buffer.from(payloadFor(e.seq, sizeOf(e.seq)))));
}

describe('Spool recovery: restarts', () => {
  it('brings unacked records back after a clean close and continues the seq exactly', () => {
    const dir = fresh('restart');
    const a = openOk(opts(dir));
    for (let i = 0; i < 10; i++) appendOk(a, 2, P);
    for (const seq of [1, 2, 3, 4, 6]) a.ack(seq);
    a.drop(7);
    a.close();
    const b = openOk(opts(dir));
    expect(b.nextSeq()).toBe(11);
    expect(b.readUnacked(0, 100).map((e) => e.seq)).toEqual([5, 8, 9, 10]);
    expect(intactPayloads(b, () => P)).toBe(true);
    expect(b.counters()).toMatchObject({ appendedBatches: 10, ackedBatches: 5, droppedBatches: 1, restarts: 1, corruptRecords: 0 });
    expect(identityHolds(b)).toBe(true);
    // Recovered segments are sealed: the next append starts a new one named by its seq.
    appendOk(b, 1, P);
    expect(segmentFiles(dir)).toContain('seg-0000000000000011.log');
    b.close();
    expect(openOk(opts(dir)).counters().restarts).toBe(2);
  });

  it('keeps nextSeq when every segment was acked and deleted', () => {
    const dir = fresh('allacked');
    const a = openOk(opts(dir));
    for (let i = 0; i < 9; i++) appendOk(a, 1, P);
    for (let seq = 1; seq <= 9; seq++) a.ack(seq);
    a.close();
    const b = openOk(opts(dir));
    expect(segmentFiles(dir)).toEqual([]); // the acked active segment went at recovery
    expect(b.nextSeq()).toBe(10);
    expect(b.unackedCount()).toBe(0);
    expect(b.firstUnackedSeq()).toBe(10);
    b.close();
  });

  it('after a crash never reuses a seq, re-offers forgotten acks, and keeps the identity', () => {
    const dir = fresh('crash');
    const a = openOk(opts(dir));
    for (let i = 0; i < 10; i++) appendOk(a, 3, P);
    for (let seq = 1; seq <= 4; seq++) a.ack(seq); // deletes segment 1: state written
    a.ack(5); // not persisted: forgotten by the crash
    crash(dir);
    const b = openOk(opts(dir));
    expect(b.nextSeq()).toBeGreaterThan(10);
    expect(b.nextSeq()).toBeLessThanOrEqual(1 + RESERVE_BLOCK);
    expect(b.readUnacked(0, 100).map((e) => e.seq)).toEqual([5, 6, 7, 8, 9, 10]);
    expect(b.counters()).toMatchObject({ appendedBatches: 10, ackedBatches: 4, droppedBatches: 0, restarts: 1 });
    expect(identityHolds(b)).toBe(true);
    const next = appendOk(b, 1, P);
    b.close();
    const c = openOk(opts(dir));
    expect(c.nextSeq()).toBe(next + 1); // a clean close gives the rest of the reservation back
    c.close();
  });

  it('removes a segment whose deletion a crash interrupted, without counting anything twice', () => {
    const dir = fresh('leftover');
    const a = openOk(opts(dir));
    for (let i = 0; i < 6; i++) appendOk(a, 1, P);
    const first = path.join(dir, 'seg-0000000000000001.log');
    const saved = fs.readFileSync(first);
    for (let seq = 1; seq <= 4; seq++) a.ack(seq);
    a.close();
    fs.writeFileSync(first, saved); // as if the unlink after the state write never happened
    const b = openOk(opts(dir));
    expect(segmentFiles(dir)).toEqual(['seg-0000000000000005.log']);
    expect(b.readUnacked(0, 100).map((e) => e.seq)).toEqual([5, 6]);
    expect(b.counters()).toMatchObject({ appendedBatches: 6, ackedBatches: 4, droppedBatches: 0 });
    b.close();
  });

  it('refuses segments without a state file, and a damaged state file, as VIGIE_SPOOL_CORRUPT', () => {
    const dir = fresh('nostate');
    const a = openOk(opts(dir));
    appendOk(a, 1, P);
    a.close();
    const state = path.join(dir, 'spool.json');
    const text = fs.readFileSync(state, 'utf8');
    fs.rmSync(state);
    const r1 = Spool.open(opts(dir));
    expect(!r1.ok && r1.error.code).toBe('VIGIE_SPOOL_CORRUPT');
    fs.writeFileSync(state, text.slice(0, 20));
    const r2 = Spool.open(opts(dir));
    expect(!r2.ok && r2.error.code).toBe('VIGIE_SPOOL_CORRUPT');
    fs.writeFileSync(state, text.replace(/"nextSeq":\d+/, '"nextSeq":-4'));
    const r3 = Spool.open(opts(dir));
    expect(!r3.ok && r3.error.message).toMatch(/nextSeq/);
  });
});

describe('Spool recovery: damage', () => {
  function spoolWith(dir: string, n: number): number[] {
    const a = openOk(opts(dir));
    const seqs = Array.from({ length: n }, () => appendOk(a, 5, P));
    a.close();
    return seqs;
  }

  it('truncates a torn payload at the last whole record, counts it corrupt and its loss dropped', () => {
    const dir = fresh('torn');
    spoolWith(dir, 7); // segments 1 (4 records) and 5 (3 records)
    const seg = path.join(dir, 'seg-0000000000000005.log');
    fs.truncateSync(seg, 2 * 250 + 100); // mid-payload of seq 7
    const b = openOk(opts(dir));
    expect(fs.statSync(seg).size).toBe(500);
    expect(b.readUnacked(0, 100).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(b.counters()).toMatchObject({ corruptRecords: 1, droppedBatches: 1, droppedEvents: 5, appendedBatches: 7 });
    expect(b.nextSeq()).toBe(8);
    expect(b.damageAtOpen[0]).toMatch(/seg-0000000000000005\.log: short payload at offset 500/);
    expect(identityHolds(b)).toBe(true);
    expect(appendOk(b, 1, P)).toBe(8);
    b.close();
    // Counted once: a second restart finds nothing new.
    const c = openOk(opts(dir));
    expect(c.counters()).toMatchObject({ corruptRecords: 1, droppedBatches: 1 });
    c.close();
  });

  it('handles a tail cut inside a header, and a segment cut to nothing', () => {
    const dir = fresh('tornhead');
    spoolWith(dir, 8);
    fs.truncateSync(path.join(dir, 'seg-0000000000000005.log'), 3 * 250 + 10);
    fs.truncateSync(path.join(dir, 'seg-0000000000000001.log'), 7);
    const b = openOk(opts(dir));
    expect(segmentFiles(dir)).toEqual(['seg-0000000000000005.log']);
    expect(b.readUnacked(0, 100).map((e) => e.seq)).toEqual([5, 6, 7]);
    expect(b.counters()).toMatchObject({ corruptRecords: 2, droppedBatches: 5, droppedEvents: 25 });
    expect(b.nextSeq()).toBe(9);
    expect(identityHolds(b)).toBe(true);
    b.close();
  });

  it('detects a flipped byte by CRC at recovery (payload or header)', () => {
    const dir = fresh('crc');
    spoolWith(dir, 4);
    const seg = path.join(dir, 'seg-0000000000000001.log');
    const bytes = fs.readFileSync(seg);
    bytes[2 * 250 + 24 + 100]! ^= 0x01; // a payload byte of seq 3
    fs.writeFileSync(seg, bytes);
    const b = openOk(opts(dir));
    expect(b.damageAtOpen[0]).toMatch(/bad CRC at offset 500/);
    expect(b.readUnacked(0, 100).map((e) => e.seq)).toEqual([1, 2]);
    expect(b.counters()).toMatchObject({ corruptRecords: 1, droppedBatches: 2, droppedEvents: 10 });
    b.close();

    const dir2 = fresh('crc-head');
    spoolWith(dir2, 4);
    const seg2 = path.join(dir2, 'seg-0000000000000001.log');
    const b2 = fs.readFileSync(seg2);
    b2[250 + 20]! ^= 0x40; // the event count of seq 2
    fs.writeFileSync(seg2, b2);
    const c = openOk(opts(dir2));
    expect(c.readUnacked(0, 100).map((e) => e.seq)).toEqual([1]);
    expect(c.counters()).toMatchObject({ corruptRecords: 1, droppedBatches: 3, droppedEvents: 15 });
    c.close();
  });

  it('detects damage that happens after open when the payload is read back', () => {
    const dir = fresh('crc-late');
    const a = openOk(opts(dir));
    for (let i = 0; i < 6; i++) appendOk(a, 2, P);
    const seg = path.join(dir, 'seg-0000000000000001.log');
    const fd = fs.openSync(seg, 'r+');
    fs.writeSync(fd, Buffer.from([0xff]), 0, 1, 250 + 24 + 7); // seq 2
    fs.closeSync(fd);
    expect(a.readUnacked(0, 100).map((e) => e.seq)).toEqual([1, 3, 4, 5, 6]);
    expect(a.counters()).toMatchObject({ corruptRecords: 1, droppedBatches: 1, droppedEvents: 2 });
    fs.rmSync(seg); // a segment vanishing under the spool: its batches are dropped, counted
    expect(a.readUnacked(0, 100).map((e) => e.seq)).toEqual([5, 6]);
    expect(a.counters()).toMatchObject({ corruptRecords: 2, droppedBatches: 4, droppedEvents: 8 });
    expect(identityHolds(a)).toBe(true);
    expect(a.stats().bytes).toBe(diskBytes(dir));
    a.close();
  });

  it('counts appends made after the last state write when a crash follows', () => {
    const dir = fresh('crash-append');
    const a = openOk(opts(dir));
    for (let i = 0; i < 3; i++) appendOk(a, 4, P);
    crash(dir); // the state file still says nextSeq = 1
    const b = openOk(opts(dir));
    expect(b.counters()).toMatchObject({ appendedBatches: 3, appendedEvents: 12, restarts: 1 });
    expect(b.readUnacked(0, 10).map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(identityHolds(b)).toBe(true);
    b.close();
  });
});
