/**
 * Reading a slice of the archive: the records of one sensor received within a time range.
 * Segments whose receivedMs range (from their sidecar, or from the open archive's table) misses the
 * range are not opened; in the others, headers are walked with bodies skipped, and only the bodies
 * of matching records are read, checked and decompressed. Nothing here writes: this is what the
 * alert page reads, from the engine's open Archive or, without its lock, from the CLI
 * (`ArchiveReader`).
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliDecompress, brotliDecompressSync, inflateRaw, inflateRawSync } from 'node:zlib';
import { VigieError } from '../../common/errors.js';
import type { VigieProblem } from '../../common/errors.js';
import { bodyIntact, FLAG_BROTLI, FLAG_DEFLATE_RAW } from './format.js';
import type { RecordHeader } from './format.js';
import { readSegment } from './reader.js';
import type { ArchiveRecord } from './types.js';

const inflate = promisify(inflateRaw);
const unbrotli = promisify(brotliDecompress);

/** Which records: one sensor's, received (the engine's clock) within [fromMs, toMs]. */
export interface RecordWindow {
  /** Only this sensor's records; every sensor's when absent (corpora for training and validation). */
  sensorId?: string;
  /** Only records of this tenant too, when given (a sensor re-enrolled to another tenant keeps its id). */
  tenant?: string;
  fromMs: number;
  toMs: number;
}

/** Oldest and newest receivedMs of what a source holds. */
export interface TimeSpan {
  oldestMs: number;
  newestMs: number;
}

/** What the alert page reads: the engine's open Archive, or an ArchiveReader on a directory. */
export interface RecordWindowSource {
  /** What the archive holds now, undefined when it holds nothing. */
  timeSpan(): TimeSpan | undefined;
  window(w: RecordWindow, onProblem?: (p: VigieProblem) => void): AsyncGenerator<ArchiveRecord>;
}

/** A segment as the window reader sees it. */
export interface SegmentSpan {
  path: string;
  /** Read no further than this (the durable size, or the file size when read without the lock). */
  limit: number;
  /** receivedMs range; -1 when unknown (no sidecar): the segment is then always read. */
  oldestMs: number;
  newestMs: number;
  /**
   * True for a segment another process may be appending to (read without the lock, past what is
   * known durable): its first bad record may be a write in flight, so reading stops there without
   * reporting damage. False when `limit` covers only complete, durable records.
   */
  growing: boolean;
}

export function overlaps(s: Pick<SegmentSpan, 'oldestMs' | 'newestMs'>, w: Pick<RecordWindow, 'fromMs' | 'toMs'>): boolean {
  if (s.oldestMs < 0 || s.newestMs < 0) return true;
  return s.oldestMs <= w.toMs && s.newestMs >= w.fromMs;
}

/** How a record body is compressed, and its size once inflated: what another thread needs to inflate it. */
export interface BodyCodec {
  codec: number;
  rawLength: number;
}

export const codecOf = (h: RecordHeader): BodyCodec => ({ codec: h.flags, rawLength: h.rawLength });

function checkCodec(c: BodyCodec): void {
  if (c.codec !== FLAG_BROTLI && c.codec !== FLAG_DEFLATE_RAW) throw new Error(`unknown codec flags 0x${c.codec.toString(16)}`);
}

function checkLength(payload: Buffer, c: BodyCodec): Buffer {
  if (payload.length !== c.rawLength) throw new Error('inflated length differs from the header');
  return payload;
}

/** Decompresses a record's body by its codec (on the libuv pool); throws on an unknown codec or a bad length. */
export async function decompressBody(body: Uint8Array, c: BodyCodec): Promise<Buffer> {
  checkCodec(c);
  return checkLength(await (c.codec === FLAG_BROTLI ? unbrotli(body) : inflate(body)), c);
}

/**
 * The same, synchronously: for the analysis threads, which receive bodies as stored when analysis
 * reads the archive (the ingest thread then only reads files and checks CRCs).
 */
export function inflateBody(body: Uint8Array, c: BodyCodec): Buffer {
  checkCodec(c);
  return checkLength(c.codec === FLAG_BROTLI ? brotliDecompressSync(body) : inflateRawSync(body), c);
}

async function readBody(fh: FileHandle, at: number, length: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buf, done, length - done, at + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return buf.subarray(0, done);
}

/**
 * The records of `w` in `spans` (in order). Damage is passed to onProblem and skipped; without
 * onProblem the iteration throws VIGIE_ARCHIVE_CORRUPT. A segment deleted meanwhile (a retention
 * sweep) is skipped.
 */
export async function* readWindow(spans: readonly SegmentSpan[], w: RecordWindow, onProblem?: (p: VigieProblem) => void): AsyncGenerator<ArchiveRecord> {
  const report = (p: VigieProblem): void => {
    if (!onProblem) throw VigieError.from(p);
    onProblem(p);
  };
  for (const seg of spans) {
    if (seg.limit <= 0 || !overlaps(seg, w)) continue;
    let fh: FileHandle;
    try {
      fh = await open(seg.path, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new VigieError('VIGIE_ARCHIVE_IO', `cannot read segment: ${(e as Error).message}`, { file: seg.path });
    }
    try {
      for await (const item of readSegment(fh, { limit: seg.limit, bodies: 'skip', resync: !seg.growing })) {
        if (item.kind === 'damage') {
          if (seg.growing) break;
          report({ code: 'VIGIE_ARCHIVE_CORRUPT', message: `${item.reason}, ${item.length} bytes skipped`, location: { file: seg.path, offset: item.offset } });
          continue;
        }
        const m = item.header.meta;
        if ((w.sensorId !== undefined && m.sensorId !== w.sensorId) || m.receivedMs < w.fromMs || m.receivedMs > w.toMs) continue;
        if (w.tenant !== undefined && m.tenant !== w.tenant) continue;
        const body = await readBody(fh, item.offset + item.header.headLength, item.header.bodyLength);
        if (!bodyIntact(item.header, body)) {
          report({ code: 'VIGIE_ARCHIVE_CORRUPT', message: 'bad body CRC', location: { file: seg.path, offset: item.offset } });
          continue;
        }
        let payload: Buffer;
        try {
          payload = await decompressBody(body, codecOf(item.header));
        } catch (e) {
          report({ code: 'VIGIE_ARCHIVE_CORRUPT', message: `body does not decompress: ${(e as Error).message}`, location: { file: seg.path, offset: item.offset } });
          continue;
        }
        yield { meta: m, payload };
      }
    } finally {
      await fh.close();
    }
  }
}
