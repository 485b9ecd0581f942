/**
 * Record positions: what append() says about where a record lies, reading on from a position
 * (the analysis feed's catch-up), the archive's tail, saved reader places, and the retention floor.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { after, comparePositions, type Archive, type PositionedRecord, type RecordPosition, type RecordSpan } from '../../../engine/archive/index.js';
import { meta, openArchive, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
const open: Archive[] = [];

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  for (const a of open.splice(0)) await a.close();
  await cleanup();
});

async function fresh(segmentBytes = 64 * 1024): Promise<Archive> {
  const a = await openArchive({ dir, groupCommitMs: 1, segmentBytes });
  open.push(a);
  return a;
}

async function readFrom(a: Archive, p: RecordPosition): Promise<PositionedRecord[]> {
  const out: PositionedRecord[] = [];
  for await (const r of a.recordsFrom(p)) out.push(r);
  return out;
}

/** 20 incompressible 16 KiB records in 64 KiB segments: several segments, several records each. */
async function filled(a: Archive): Promise<RecordSpan[]> {
  const spans: RecordSpan[] = [];
  for (let seq = 0; seq < 20; seq++) {
    const r = await a.append(meta('s1', seq), randomBytes(16 * 1024));
    if (r.outcome !== 'stored') throw new Error('not stored');
    spans.push(r.at);
  }
  return spans;
}

describe('Archive positions', () => {
  it('append() gives each record its place, in archive order, across segments', async () => {
    const a = await fresh();
    const spans = await filled(a);
    for (let i = 1; i < spans.length; i++) expect(comparePositions(spans[i]!, spans[i - 1]!)).toBeGreaterThan(0);
    expect(new Set(spans.map((s) => s.segment)).size).toBeGreaterThanOrEqual(5);
    // Within a segment, each record starts where the previous one ended.
    for (let i = 1; i < spans.length; i++) if (spans[i]!.segment === spans[i - 1]!.segment) expect(spans[i]!.offset).toBe(spans[i - 1]!.end);
    const all = await readFrom(a, { segment: 0, offset: 0 });
    expect(all.map((r) => r.at)).toEqual(spans);
    expect(all.map((r) => r.meta.seq)).toEqual([...Array(20).keys()]);
  });

  it('reads on from any record, or from just after one, to the end', async () => {
    const a = await fresh();
    const spans = await filled(a);
    for (const k of [0, 3, 4, 11, 19]) {
      expect((await readFrom(a, spans[k]!)).map((r) => r.meta.seq)).toEqual([...Array(20 - k).keys()].map((i) => i + k));
      expect((await readFrom(a, after(spans[k]!))).map((r) => r.meta.seq)).toEqual([...Array(19 - k).keys()].map((i) => i + k + 1));
    }
  });

  it('tail() is just after the last durable record; bytesAfter() counts what a reader has left', async () => {
    const a = await fresh();
    expect(a.bytesAfter(a.tail())).toBe(0);
    const spans = await filled(a);
    expect(a.tail()).toEqual(after(spans.at(-1)!));
    expect(a.bytesAfter(a.tail())).toBe(0);
    expect(await readFrom(a, a.tail())).toEqual([]);
    expect(a.bytesAfter({ segment: 0, offset: 0 })).toBe(a.stats().bytes);
    const k = 9;
    const left = spans.slice(k).reduce((n, s) => n + (s.end - s.offset), 0);
    expect(a.bytesAfter(spans[k]!)).toBe(left);
  });

  it('retention keeps the segments from a floor on', async () => {
    const a = await openArchive({ dir, groupCommitMs: 1, segmentBytes: 1024, retentionMs: 1000 });
    open.push(a);
    const now = 1_800_000_000_000;
    const spans: RecordSpan[] = [];
    for (let seq = 0; seq < 5; seq++) {
      const r = await a.append(meta('s1', seq, { receivedMs: now - 5000 }), randomBytes(4096));
      if (r.outcome === 'stored') spans.push(r.at);
    }
    const floor = spans[2]!.segment;
    expect((await a.sweep(now, floor)).deletedSegments).toBe(2);
    expect(a.hasSegment(spans[1]!.segment)).toBe(false);
    expect(a.hasSegment(floor)).toBe(true);
    expect((await readFrom(a, spans[0]!)).map((r) => r.meta.seq)).toEqual([2, 3, 4]);
  });

  it('saves and loads a reader place; a damaged file is a typed problem, a missing one undefined', async () => {
    const a = await fresh();
    expect(await a.loadReaderPosition('analysis')).toBeUndefined();
    await a.saveReaderPosition('analysis', { segment: 3, offset: 1234 });
    expect(await a.loadReaderPosition('analysis')).toEqual({ segment: 3, offset: 1234 });
    await writeFile(join(dir, 'reader-analysis.json'), '{"segment": -1');
    expect(await a.loadReaderPosition('analysis')).toMatchObject({ code: 'VIGIE_ARCHIVE_CORRUPT', location: { file: join(dir, 'reader-analysis.json') } });
    await writeFile(join(dir, 'reader-analysis.json'), '{"segment": -1, "offset": 0}');
    expect(await a.loadReaderPosition('analysis')).toMatchObject({ code: 'VIGIE_ARCHIVE_CORRUPT' });
    // The reader file is not mistaken for a segment when the archive reopens.
    await a.close();
    open.splice(0);
    const b = await fresh();
    expect(b.stats().records).toBe(0);
  });
});
