/**
 * Reading a time window of one sensor: from the open Archive (window(), timeSpan()) and without
 * the lock (ArchiveReader), on real segments written by the real Archive.
 */
import { appendFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VigieProblem } from '../../../common/errors.js';
import { decodeHead } from '../../../engine/archive/format.js';
import { ArchiveReader, type Archive, type ArchiveRecord, type RecordWindowSource } from '../../../engine/archive/index.js';
import { meta, openArchive, payload, tempDir } from './helpers.js';

const R0 = 1_700_000_000_000;
let dir: string;
let cleanup: () => Promise<void>;
const opened: Archive[] = [];

async function fresh(segmentBytes = 64 << 20): Promise<Archive> {
  const a = await openArchive({ dir, groupCommitMs: 0, segmentBytes, fsync: false });
  opened.push(a);
  return a;
}

async function drain(it: AsyncIterable<ArchiveRecord>): Promise<ArchiveRecord[]> {
  const out: ArchiveRecord[] = [];
  for await (const r of it) out.push(r);
  return out;
}

const seqs = (rs: ArchiveRecord[]) => rs.map((r) => `${r.meta.sensorId}/${r.meta.seq}`);

/** s1 and s2 interleaved, one record a minute, seq i received at R0 + i minutes; 1 KiB segments: one record each. */
async function written(n = 10, segmentBytes = 1024): Promise<Archive> {
  const a = await fresh(segmentBytes);
  for (let i = 0; i < n; i++) {
    const sensor = i % 2 === 0 ? 's1' : 's2';
    await a.append(meta(sensor, i, { receivedMs: R0 + i * 60_000 }), payload(sensor, i));
  }
  return a;
}

async function segmentFiles(): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.endsWith('.vga')).sort().map((f) => join(dir, f));
}

/** Flips a byte inside the first record's body of `file` (its body CRC no longer matches). */
/** Flips a byte of the first record's seq (its header CRC no longer matches: a header walk reports it). */
async function damageHead(file: string): Promise<void> {
  const buf = await readFile(file);
  buf[25] = buf[25]! ^ 0xff;
  await writeFile(file, buf);
}

async function damageBody(file: string): Promise<void> {
  const buf = await readFile(file);
  const h = decodeHead(buf)!;
  buf[h.headLength + 10] = buf[h.headLength + 10]! ^ 0xff;
  await writeFile(file, buf);
}

beforeEach(async () => { ({ dir, cleanup } = await tempDir()); });
afterEach(async () => {
  for (const a of opened.splice(0)) await a.close();
  await cleanup();
});

describe('Archive.window', () => {
  it('yields only the sensor\'s records received within the window, whole and in order', async () => {
    const a = await written();
    const got = await drain(a.window({ sensorId: 's1', fromMs: R0 + 2 * 60_000, toMs: R0 + 6 * 60_000 }));
    expect(seqs(got)).toEqual(['s1/2', 's1/4', 's1/6']);
    expect(Buffer.from(got[1]!.payload).equals(Buffer.from(payload('s1', 4)))).toBe(true);
    expect(seqs(await drain(a.window({ sensorId: 's2', fromMs: R0, toMs: R0 + 3 * 60_000 })))).toEqual(['s2/1', 's2/3']);
    expect(await drain(a.window({ sensorId: 's1', tenant: 'town-b', fromMs: 0, toMs: Number.MAX_SAFE_INTEGER }))).toEqual([]);
    expect(a.timeSpan()).toEqual({ oldestMs: R0, newestMs: R0 + 9 * 60_000 });
  });

  it('opens no segment outside the window and reads no body of another sensor', async () => {
    const a = await written();
    await a.close();
    const files = await segmentFiles();
    expect(files.length).toBe(10);
    await damageHead(files[0]!); // s1/0, received before the window: seen if its segment is opened
    await damageBody(files[3]!); // s2/3, inside the window, another sensor: seen if its body is read
    const b = await fresh();
    const problems: VigieProblem[] = [];
    // Without onProblem a damaged record read would throw: nothing damaged is read.
    expect(seqs(await drain(b.window({ sensorId: 's1', fromMs: R0 + 60_000, toMs: R0 + 5 * 60_000 })))).toEqual(['s1/2', 's1/4']);
    // The same damage is there for a reader that reads it.
    await drain(b.window({ sensorId: 's1', fromMs: R0, toMs: R0 + 5 * 60_000 }, (p) => problems.push(p)));
    expect(problems).toMatchObject([{ code: 'VIGIE_ARCHIVE_CORRUPT', location: { file: files[0], offset: 0 } }]);
    expect(problems[0]!.message).toContain('bad header CRC');
    problems.length = 0;
    await drain(b.window({ sensorId: 's2', fromMs: R0 + 60_000, toMs: R0 + 5 * 60_000 }, (p) => problems.push(p)));
    expect(problems).toMatchObject([{ code: 'VIGIE_ARCHIVE_CORRUPT', message: 'bad body CRC', location: { file: files[3] } }]);
  });

  it('skips a segment a retention sweep deleted', async () => {
    const a = await fresh(1024);
    for (let i = 0; i < 4; i++) await a.append(meta('s1', i, { receivedMs: R0 + i }), payload('s1', i));
    await a.close();
    opened.splice(0);
    const b = await openArchive({ dir, retentionMs: 1000, fsync: false });
    opened.push(b);
    expect(b.timeSpan()).toEqual({ oldestMs: R0, newestMs: R0 + 3 });
    expect((await b.sweep(R0 + 1002)).deletedSegments).toBe(2);
    expect(b.timeSpan()).toEqual({ oldestMs: R0 + 2, newestMs: R0 + 3 });
    expect(seqs(await drain(b.window({ sensorId: 's1', fromMs: 0, toMs: R0 + 10 })))).toEqual(['s1/2', 's1/3']);
  });
});

describe('ArchiveReader (no lock)', () => {
  it('reads a running archive without touching its lock, up to a write in flight', async () => {
    const a = await written(6, 64 << 20);
    const lock = await readFile(join(dir, 'LOCK'), 'utf8');
    // A record being written when the reader looks: a head without its body.
    const [active] = await segmentFiles();
    await appendFile(active!, (await readFile(active!)).subarray(0, 70));
    const opened = await ArchiveReader.open(dir);
    expect(opened.ok).toBe(true);
    const reader: RecordWindowSource = opened.ok ? opened.value : (undefined as never);
    const problems: VigieProblem[] = [];
    expect(seqs(await drain(reader.window({ sensorId: 's1', fromMs: 0, toMs: Number.MAX_SAFE_INTEGER }, (p) => problems.push(p))))).toEqual(['s1/0', 's1/2', 's1/4']);
    expect(problems).toEqual([]);
    expect(reader.timeSpan()?.oldestMs).toBe(R0);
    expect(await readFile(join(dir, 'LOCK'), 'utf8')).toBe(lock);
    // The archive goes on as if nobody had looked.
    await a.append(meta('s1', 100, { receivedMs: R0 + 100 * 60_000 }), payload('s1', 100));
  });

  it('uses sealed segments\' sidecars to skip them, and reports damage in sealed segments', async () => {
    const a = await written();
    await a.close();
    opened.splice(0);
    const files = await segmentFiles();
    await damageBody(files[2]!); // s1/2
    const r = await ArchiveReader.open(dir);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.timeSpan()).toEqual({ oldestMs: R0, newestMs: R0 + 9 * 60_000 });
    expect(seqs(await drain(r.value.window({ sensorId: 's1', fromMs: R0 + 3 * 60_000, toMs: R0 + 9 * 60_000 })))).toEqual(['s1/4', 's1/6', 's1/8']);
    const problems: VigieProblem[] = [];
    expect(seqs(await drain(r.value.window({ sensorId: 's1', fromMs: R0, toMs: R0 + 4 * 60_000 }, (p) => problems.push(p))))).toEqual(['s1/0', 's1/4']);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.location?.file).toBe(files[2]);
  });

  it('says when there is no archive to read', async () => {
    const r = await ArchiveReader.open(join(dir, 'nowhere'));
    expect(r.ok ? 'ok' : r.error.code).toBe('VIGIE_ARCHIVE_IO');
  });
});
