import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Spool } from '../../../sensors/spool/index.js';
import { appendOk, crash, diskBytes, identityHolds, openOk, payloadFor, segmentFiles, tempDir } from './helpers.js';

// 24-byte header + 226-byte payload = 250 bytes: exactly four records per 1000-byte segment.
const P = 226;
const REC = 250;
const cleanups: Array<() => void> = [];
function fresh(label: string): string {
  const t = tempDir(label);
  cleanups.push(t.cleanup);
  return t.dir;
}
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

describe('Spool: append, ack, segments', () => {
  it('starts at seq 1 with a state file and no segment', () => {
    const dir = path.join(fresh('new'), 'nested', 'sensor-a');
    const s = openOk({ dir, maxBytes: 10_000, segmentBytes: 1000 });
    expect(s.nextSeq()).toBe(1);
    expect(s.firstUnackedSeq()).toBe(1);
    expect(fs.existsSync(path.join(dir, 'spool.json'))).toBe(true);
    expect(segmentFiles(dir)).toEqual([]);
    expect(s.counters().restarts).toBe(0);
    s.close();
    s.close(); // idempotent
  });

  it('assigns increasing seqs, rotates at segmentBytes and names segments by first seq', () => {
    const dir = fresh('rotate');
    const s = openOk({ dir, maxBytes: 10_000, segmentBytes: 1000 });
    const seqs = Array.from({ length: 10 }, () => appendOk(s, 3, P));
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(segmentFiles(dir)).toEqual(['seg-0000000000000001.log', 'seg-0000000000000005.log', 'seg-0000000000000009.log']);
    expect(s.stats()).toMatchObject({ bytes: 10 * REC, segments: 3, unackedBatches: 10, unackedEvents: 30 });
    expect(diskBytes(dir)).toBe(10 * REC);
    s.close();
  });

  it('gives a payload larger than segmentBytes a segment of its own', () => {
    const dir = fresh('big');
    const s = openOk({ dir, maxBytes: 10_000, segmentBytes: 1000 });
    appendOk(s, 1, P);
    const big = appendOk(s, 1, 3000);
    appendOk(s, 1, P);
    expect(segmentFiles(dir)).toEqual(['seg-0000000000000001.log', `seg-000000000000000${big}.log`, 'seg-0000000000000003.log']);
    expect(Buffer.from(s.readUnacked(big, 1)[0]!.payload).equals(Buffer.from(payloadFor(big, 3000)))).toBe(true);
    s.close();
  });

  it('deletes a sealed segment once all its records are acked; ack is idempotent, unknown seqs ignored', () => {
    const dir = fresh('ack');
    const s = openOk({ dir, maxBytes: 10_000, segmentBytes: 1000 });
    for (let i = 0; i < 6; i++) appendOk(s, 2, P);
    for (const seq of [2, 1, 4]) s.ack(seq);
    expect(segmentFiles(dir)).toHaveLength(2);
    expect(s.firstUnackedSeq()).toBe(3);
    s.ack(3);
    expect(segmentFiles(dir)).toEqual(['seg-0000000000000005.log']);
    s.ack(3);
    s.ack(999);
    s.ack(0);
    s.ack(-1);
    s.ack(2.5);
    expect(s.counters()).toMatchObject({ appendedBatches: 6, ackedBatches: 4, ackedEvents: 8, droppedBatches: 0 });
    // The active segment stays while it is being written, even when fully acked.
    s.ack(5);
    s.ack(6);
    expect(segmentFiles(dir)).toEqual(['seg-0000000000000005.log']);
    expect(s.unackedCount()).toBe(0);
    expect(s.firstUnackedSeq()).toBe(7);
    expect(identityHolds(s)).toBe(true);
    s.close();
  });

  it('readUnacked returns unacked entries from a seq, in order, with their exact payloads', () => {
    const dir = fresh('read');
    const s = openOk({ dir, maxBytes: 100_000, segmentBytes: 1000 });
    const sizes = [0, 1, 226, 900, 5000, 17, 226, 64, 300, 2];
    sizes.forEach((n, i) => {
      const r = s.append(i + 1, payloadFor(i + 1, n));
      expect(r.ok).toBe(true);
    });
    s.ack(2);
    s.drop(5);
    const all = s.readUnacked(0, 100);
    expect(all.map((e) => e.seq)).toEqual([1, 3, 4, 6, 7, 8, 9, 10]);
    for (const e of all) {
      expect(e.events).toBe(e.seq);
      expect(Buffer.from(e.payload).equals(Buffer.from(payloadFor(e.seq, sizes[e.seq - 1]!)))).toBe(true);
    }
    expect(s.readUnacked(4, 3).map((e) => e.seq)).toEqual([4, 6, 7]);
    expect(s.readUnacked(11, 10)).toEqual([]);
    expect(s.readUnacked(0, 0)).toEqual([]);
    s.close();
  });

  it('drop() removes a batch from the unacked set and counts it and its events', () => {
    const dir = fresh('drop');
    const s = openOk({ dir, maxBytes: 10_000, segmentBytes: 1000 });
    appendOk(s, 7, P);
    appendOk(s, 5, P);
    s.drop(1);
    s.drop(1);
    expect(s.counters()).toMatchObject({ droppedBatches: 1, droppedEvents: 7 });
    expect(s.stats()).toMatchObject({ unackedBatches: 1, unackedEvents: 5 });
    s.ack(1); // already settled: not delivered as well
    expect(s.counters().ackedBatches).toBe(0);
    expect(identityHolds(s)).toBe(true);
    s.close();
  });
});

describe('Spool: overflow', () => {
  it('drops whole oldest segments, counted exactly, never the record just written', () => {
    const dir = fresh('overflow');
    const s = openOk({ dir, maxBytes: 3000, segmentBytes: 1000 });
    for (let i = 0; i < 12; i++) appendOk(s, 10, P); // three full segments: exactly maxBytes
    s.ack(2);
    expect(s.counters().droppedBatches).toBe(0);
    appendOk(s, 10, P); // seq 13 opens a fourth segment: the first goes (3 unacked, 1 acked)
    expect(segmentFiles(dir)).toEqual(['seg-0000000000000005.log', 'seg-0000000000000009.log', 'seg-0000000000000013.log']);
    expect(s.counters()).toMatchObject({ droppedBatches: 3, droppedEvents: 30, ackedBatches: 1 });
    expect(s.firstUnackedSeq()).toBe(5);
    expect(s.stats().bytes).toBe(9 * REC);
    expect(diskBytes(dir)).toBe(9 * REC);
    s.ack(1); // its segment is gone: ignored
    expect(s.counters().ackedBatches).toBe(1);
    // A 2,900-byte record needs everything but itself gone.
    const big = appendOk(s, 4, 2900 - 24);
    expect(s.readUnacked(0, 100).map((e) => e.seq)).toEqual([big]);
    expect(s.counters()).toMatchObject({ droppedBatches: 12, droppedEvents: 120 });
    expect(s.stats().bytes).toBe(2900);
    expect(identityHolds(s)).toBe(true);
    s.close();
  });

  it('never holds more than maxBytes on disk', () => {
    const dir = fresh('bound');
    const s = openOk({ dir, maxBytes: 5000, segmentBytes: 1200 });
    for (let i = 0; i < 300; i++) {
      appendOk(s, 1, (i * 37) % 700);
      expect(s.stats().bytes).toBeLessThanOrEqual(5000);
      if (i % 10 === 0) expect(diskBytes(dir)).toBe(s.stats().bytes);
    }
    expect(identityHolds(s)).toBe(true);
    s.close();
  });

  it('refuses a batch larger than maxBytes with a typed error and changes nothing', () => {
    const dir = fresh('toolarge');
    const s = openOk({ dir, maxBytes: 2000, segmentBytes: 1000 });
    appendOk(s, 1, P);
    const r = s.append(9, new Uint8Array(2000 - 24 + 1));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('VIGIE_SPOOL_RECORD_TOO_LARGE');
    expect(s.nextSeq()).toBe(2);
    expect(s.counters()).toMatchObject({ appendedBatches: 1, droppedBatches: 0 });
    expect(s.append(9, new Uint8Array(2000 - 24)).ok).toBe(true); // exactly maxBytes fits
    s.close();
  });
});

describe('Spool: I/O failure', () => {
  it('returns VIGIE_SPOOL_IO when a write fails, does not consume the seq, and recovers on the next append', () => {
    const dir = fresh('ioerr');
    const s = openOk({ dir, maxBytes: 10_000, segmentBytes: 1000 });
    appendOk(s, 1, P);
    crash(dir); // closes the active segment's fd under the spool: the next write gets EBADF
    const r = s.append(1, payloadFor(2, P));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('VIGIE_SPOOL_IO');
    expect(s.nextSeq()).toBe(2);
    expect(s.stats().ioErrors).toBeGreaterThan(0);
    expect(appendOk(s, 1, P)).toBe(2); // a new segment
    expect(s.readUnacked(0, 10).map((e) => e.seq)).toEqual([1, 2]);
    expect(s.counters()).toMatchObject({ appendedBatches: 2, droppedBatches: 0 });
    s.close();
  });
});

describe('Spool: options', () => {
  it('reports every invalid option with VIGIE_CONFIG_INVALID', () => {
    const dir = fresh('opts');
    const r1 = Spool.open({ dir, maxBytes: 1000, segmentBytes: 1000 });
    expect(r1.ok).toBe(false);
    if (!r1.ok) expect(r1.error.code).toBe('VIGIE_CONFIG_INVALID');
    const r2 = Spool.open({ dir, maxBytes: -1, segmentBytes: 1.5 } as never);
    expect(r2.ok).toBe(false);
    if (!r2.ok) expect(r2.error.message).toMatch(/maxBytes.*segmentBytes/);
    const r3 = Spool.open({ dir, maxbytes: 5 } as never);
    expect(r3.ok).toBe(false);
    const r4 = Spool.open({ dir });
    expect(r4.ok).toBe(true);
    if (r4.ok) r4.value.close();
  });

  it('throws on use after close (a bug, not an expected failure)', () => {
    const s = openOk({ dir: fresh('closed'), maxBytes: 10_000, segmentBytes: 1000 });
    s.close();
    expect(() => s.append(1, new Uint8Array(1))).toThrow(/closed/);
  });
});
