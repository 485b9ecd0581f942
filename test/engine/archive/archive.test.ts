import { randomBytes } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Archive } from '../../../engine/archive/index.js';
import { meta, openArchive, payload, readAll, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
const open: Archive[] = [];

async function fresh(options: Partial<Parameters<typeof Archive.open>[0]> = {}): Promise<Archive> {
  const a = await openArchive({ dir, groupCommitMs: 1, ...options });
  open.push(a);
  return a;
}

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  for (const a of open.splice(0)) await a.close();
  await cleanup();
});

describe('Archive: store and dedup', () => {
  it('stores batches and reads them back in append order, decompressed', async () => {
    const a = await fresh();
    const keys = [...Array(30).keys()].map((i) => ({ sensor: `s${i % 3}`, seq: Math.floor(i / 3) }));
    const outcomes = await Promise.all(keys.map((k) => a.append(meta(k.sensor, k.seq), payload(k.sensor, k.seq))));
    expect(outcomes.every((o) => o.outcome === 'stored')).toBe(true);
    const got = await readAll(a);
    expect(got.map((r) => [r.meta.sensorId, r.meta.seq])).toEqual(keys.map((k) => [k.sensor, k.seq]));
    for (const r of got) {
      expect(Buffer.from(r.payload).equals(Buffer.from(payload(r.meta.sensorId, r.meta.seq)))).toBe(true);
      expect(r.meta).toEqual(meta(r.meta.sensorId, r.meta.seq));
    }
    expect(a.stats()).toMatchObject({ records: 30, events: 300, segments: 1, pendingWrites: 0, duplicates: 0 });
    expect(a.stats().bytes).toBeLessThan(30 * 4096); // compressed
  });

  it('answers duplicate for a re-send while the first write is pending, only once it is durable', async () => {
    const a = await fresh({ groupCommitMs: 20 });
    const order: string[] = [];
    const first = a.append(meta('s1', 7), payload('s1', 7)).then((o) => order.push(`first:${o.outcome}`));
    expect(a.isDuplicate('s1', 7)).toBe(true);
    expect(a.stats().pendingWrites).toBe(1);
    const second = a.append(meta('s1', 7), payload('s1', 7)).then((o) => order.push(`second:${o.outcome}`));
    await Promise.all([first, second]);
    expect(order).toEqual(['first:stored', 'second:duplicate']);
    expect((await a.append(meta('s1', 7), payload('s1', 7))).outcome).toBe('duplicate');
    expect(a.stats()).toMatchObject({ records: 1, duplicates: 2 });
    expect((await readAll(a)).length).toBe(1);
  });

  it('close() flushes appends still pending, and they are there after reopening', async () => {
    const a = await fresh({ groupCommitMs: 0 });
    const pending = [0, 1, 2].map((seq) => a.append(meta('s1', seq), payload('s1', seq)));
    await a.close();
    expect((await Promise.all(pending)).map((o) => o.outcome)).toEqual(['stored', 'stored', 'stored']);
    await expect(a.append(meta('s1', 3), payload('s1', 3))).rejects.toMatchObject({ code: 'VIGIE_ARCHIVE_IO' });
    const b = await fresh();
    expect(b.stats().records).toBe(3);
  });

  it('groups concurrent appends into few write + fdatasync rounds', async () => {
    const a = await fresh({ groupCommitMs: 2 });
    await Promise.all([...Array(200).keys()].map((i) => a.append(meta('s1', i), payload('s1', i))));
    expect(a.stats().records).toBe(200);
    expect(a.stats().flushes).toBeLessThan(50);
  });

  it('recovers dedup state after a restart, with and without sidecars', async () => {
    let a = await fresh({ segmentBytes: 16 * 1024 });
    for (let i = 0; i < 20; i++) await a.append(meta('s1', i), payload('s1', i));
    const segments = a.stats().segments;
    expect(segments).toBeGreaterThan(1);
    await a.close();
    a = await fresh();
    expect(a.recovery.fromSidecar).toBe(segments);
    expect((await a.append(meta('s1', 3), payload('s1', 3))).outcome).toBe('duplicate');
    expect((await a.append(meta('s1', 20), payload('s1', 20))).outcome).toBe('stored');
    await a.close();
    for (const f of await readdir(dir)) if (f.endsWith('.vgx')) await rm(`${dir}/${f}`);
    a = await fresh();
    expect(a.recovery.fromSidecar).toBe(0);
    expect(a.recovery.truncatedBytes).toBe(0);
    for (const seq of [0, 5, 19, 20]) expect((await a.append(meta('s1', seq), payload('s1', seq))).outcome).toBe('duplicate');
    expect(a.stats().records).toBe(21);
    expect((await readdir(dir)).filter((f) => f.endsWith('.vgx')).length).toBe(a.stats().segments); // rewritten
  });

  it('treats seqs below the low-water mark as duplicates and prunes them', async () => {
    const a = await fresh();
    for (const seq of [0, 1, 2, 4]) await a.append(meta('s1', seq), payload('s1', seq));
    // seq 3 was never archived, but the sensor says everything below 5 is acked: never resent.
    await a.append(meta('s1', 5, { firstUnackedSeq: 5 }), payload('s1', 5));
    expect(a.isDuplicate('s1', 3)).toBe(true);
    expect((await a.append(meta('s1', 3), payload('s1', 3))).outcome).toBe('duplicate');
    expect(a.isDuplicate('s1', 6)).toBe(false);
    // A firstUnackedSeq above the batch's own seq does not make the batch itself old.
    await a.append(meta('s2', 2, { firstUnackedSeq: 100 }), payload('s2', 2));
    expect((await a.append(meta('s2', 3), payload('s2', 3))).outcome).toBe('stored');
    // The set only holds the unacked window.
    for (let seq = 6; seq < 400; seq++) await a.append(meta('s1', seq, { firstUnackedSeq: seq - 4 }), payload('s1', seq, 64));
    expect(a.stats().dedupKeys).toBeLessThan(150);
    expect((await a.append(meta('s1', 300), payload('s1', 300))).outcome).toBe('duplicate');
    await a.close();
    const b = await fresh();
    expect(b.isDuplicate('s1', 3)).toBe(true);
    expect(b.isDuplicate('s1', 399)).toBe(true);
    expect(b.isDuplicate('s1', 400)).toBe(false);
    expect(b.stats().dedupKeys).toBeLessThan(20);
  });

  it('rotates segments at segmentBytes and seals them with sidecars', async () => {
    const a = await fresh({ segmentBytes: 64 * 1024 });
    // Incompressible 16 KiB payloads: about 4 records per segment.
    const noise = [...Array(20).keys()].map(() => randomBytes(16 * 1024));
    const rnd = (seq: number): Uint8Array => noise[seq]!;
    await Promise.all([...Array(20).keys()].map((seq) => a.append(meta('s1', seq), rnd(seq))));
    const s = a.stats();
    expect(s.segments).toBeGreaterThanOrEqual(5);
    const files = await readdir(dir);
    expect(files.filter((f) => f.endsWith('.vga')).length).toBe(s.segments);
    expect(files.filter((f) => f.endsWith('.vgx')).length).toBe(s.segments - 1);
    const got = await readAll(a);
    expect(got.map((r) => r.meta.seq)).toEqual([...Array(20).keys()]);
    expect(Buffer.from(got[7]!.payload).equals(Buffer.from(rnd(7)))).toBe(true);
  });

  it('sweeps old sealed segments, never the active one, and keeps dedup state above the mark', async () => {
    const a = await fresh({ segmentBytes: 1024, retentionMs: 1000 });
    const now = 1_800_000_000_000;
    // One record per segment (4 KiB of noise compresses to > 1 KiB).
    for (let seq = 0; seq < 6; seq++) {
      const receivedMs = seq < 4 ? now - 5000 : now;
      await a.append(meta('s1', seq, { receivedMs, firstUnackedSeq: 1 }), payload('s1', seq));
    }
    // Its newest record is old, but the active (not yet full) segment is never swept.
    await a.append(meta('s2', 0, { receivedMs: now - 9000 }), payload('s2', 0, 64));
    const before = a.stats();
    const r = await a.sweep(now);
    expect(r.deletedSegments).toBe(4);
    expect(r.deletedBytes).toBeGreaterThan(4 * 1024);
    expect(a.stats()).toMatchObject({ records: before.records - 4, segments: before.segments - 4 });
    expect((await readAll(a)).map((x) => `${x.meta.sensorId}:${x.meta.seq}`)).toEqual(['s1:4', 's1:5', 's2:0']);
    expect(await a.sweep(now)).toEqual({ deletedSegments: 0, deletedBytes: 0 });
    expect((await a.append(meta('s1', 2), payload('s1', 2))).outcome).toBe('duplicate');
    await a.close();
    // After a restart the checkpoint still knows the swept keys at or above the mark (1..3).
    const b = await fresh({ segmentBytes: 1024, retentionMs: 1000 });
    expect((await readdir(dir)).includes('dedup.json')).toBe(true);
    for (const seq of [0, 1, 2, 3]) expect(b.isDuplicate('s1', seq)).toBe(true);
    expect(b.isDuplicate('s1', 6)).toBe(false);
    // Segment numbers keep growing after a sweep.
    await b.append(meta('s1', 6), payload('s1', 6));
    const names = (await readdir(dir)).filter((f) => f.endsWith('.vga')).sort();
    expect(names.at(-1)! > names.at(-2)!).toBe(true);
  });

  it('never reuses a segment number, even after sweeping every segment', async () => {
    const a = await fresh({ segmentBytes: 1024, retentionMs: 0 });
    for (let seq = 0; seq < 2; seq++) await a.append(meta('s1', seq), payload('s1', seq)); // each fills a segment
    expect(await a.sweep(Date.now() * 2)).toMatchObject({ deletedSegments: 2 });
    await a.close();
    const b = await fresh();
    await b.append(meta('s1', 2), payload('s1', 2));
    expect((await readdir(dir)).filter((f) => f.endsWith('.vga'))).toEqual(['seg-000000000003.vga']);
    expect(b.isDuplicate('s1', 1)).toBe(true);
  });
});

describe('Archive: failures and limits', () => {
  it('rejects a failed flush with VIGIE_ARCHIVE_IO, releases the key and undoes the bytes', async () => {
    let failNext = false;
    const a = await fresh({
      faultHook: (op) => {
        if (op === 'sync' && failNext) {
          failNext = false;
          throw new Error('EIO (injected)');
        }
      },
    });
    await a.append(meta('s1', 0), payload('s1', 0));
    failNext = true;
    await expect(a.append(meta('s1', 1), payload('s1', 1))).rejects.toMatchObject({ code: 'VIGIE_ARCHIVE_IO' });
    expect(a.isDuplicate('s1', 1)).toBe(false);
    expect((await a.append(meta('s1', 1), payload('s1', 1))).outcome).toBe('stored');
    expect((await readAll(a)).map((r) => r.meta.seq)).toEqual([0, 1]);
    await a.close();
    const b = await fresh();
    expect(b.recovery.truncatedBytes).toBe(0);
    expect(b.stats().records).toBe(2);
  });

  it('breaks (rejects everything) when a failed write cannot be undone, and recovers on reopen', async () => {
    const a = await fresh({
      faultHook: (op) => {
        if (op === 'sync' || op === 'truncate') throw new Error('EIO (injected)');
      },
    });
    await expect(a.append(meta('s1', 0), payload('s1', 0))).rejects.toMatchObject({ code: 'VIGIE_ARCHIVE_IO' });
    await expect(a.append(meta('s1', 1), payload('s1', 1))).rejects.toThrow(/could not be undone/);
    await a.close();
    const b = await fresh();
    // The unsynced write did reach the file here; whole records are kept, never acked twice.
    expect(b.stats().records).toBeLessThanOrEqual(1);
    expect((await b.append(meta('s1', 1), payload('s1', 1))).outcome).toBe('stored');
  });

  it('bounds the write queue: VIGIE_ARCHIVE_FULL, counted', async () => {
    const a = await fresh({ maxPendingBytes: 10_000, groupCommitMs: 50 });
    const results = await Promise.allSettled([...Array(10).keys()].map((i) => a.append(meta('s1', i), payload('s1', i))));
    const full = results.filter((r) => r.status === 'rejected');
    expect(full.length).toBe(8);
    expect((full[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'VIGIE_ARCHIVE_FULL' });
    expect(a.stats().rejectedFull).toBe(8);
    expect(a.isDuplicate('s1', 9)).toBe(false);
  });

  it('rejects bad metadata and bad options with every problem', async () => {
    const a = await fresh();
    await expect(a.append(meta('', -1, { events: 1.5 }), payload('x', 0))).rejects.toMatchObject({
      code: 'VIGIE_ARCHIVE_BAD_META',
      message: expect.stringMatching(/sensorId is empty.*seq.*events/),
    });
    const r = await Archive.open({ dir, segmentBytes: 10, compressionLevel: 12, bogus: 1 } as never);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('VIGIE_CONFIG_INVALID');
      expect(r.error.message).toMatch(/unknown option "bogus".*segmentBytes.*compressionLevel/);
    }
  });

  it('refuses a second open of the same directory while the first is open', async () => {
    const a = await fresh();
    const r = await Archive.open({ dir });
    expect(r.ok ? 'opened' : r.error.code).toBe('VIGIE_ARCHIVE_IO');
    await a.close();
    const b = await fresh();
    await a.append(meta('s1', 0), payload('s1', 0)).catch((e: unknown) => expect(String(e)).toMatch(/closed/));
    expect((await b.append(meta('s1', 0), payload('s1', 0))).outcome).toBe('stored');
  });
});
