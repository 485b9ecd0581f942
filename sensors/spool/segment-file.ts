/** File I/O on one segment: the recovery scan and reading records back. Format lives in record.ts. */
import * as fs from 'node:fs';
import { fail, ok, type Result } from '../../common/errors.js';
import { HEADER_BYTES, parseHeader, recordCrc, recordIntact } from './record.js';
import type { SegmentIndex } from './segment-index.js';
import type { SpoolEntry } from './types.js';

export interface ScanResult {
  /** Bytes from the start of the file that hold whole, intact records in seq order. */
  validBytes: number;
  fileBytes: number;
  /** Why the scan stopped before the end of the file, when it did. */
  damage?: string;
}

/**
 * Walks the records of `file`, which must start at `firstSeq` and hold consecutive seqs, calling
 * `visit` for each intact one. Stops at the first damaged record: a torn write (short header or
 * payload), a bad magic, a seq out of order or a CRC mismatch. Lengths are checked against the
 * file size before anything is allocated, so a garbage length cannot cost memory.
 */
export function scanSegment(
  file: string,
  firstSeq: number,
  visit: (seq: number, events: number, payloadLength: number) => void,
): Result<ScanResult> {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    return fail('VIGIE_SPOOL_IO', `cannot open a segment: ${(e as Error).message}`, { file });
  }
  try {
    const fileBytes = fs.fstatSync(fd).size;
    let pos = 0;
    let seq = firstSeq;
    let buf = Buffer.allocUnsafe(64 * 1024);
    while (pos < fileBytes) {
      const at = { validBytes: pos, fileBytes };
      if (fileBytes - pos < HEADER_BYTES) return ok({ ...at, damage: `short header at offset ${pos}` });
      fs.readSync(fd, buf, 0, HEADER_BYTES, pos);
      const h = parseHeader(buf.subarray(0, HEADER_BYTES));
      if (typeof h === 'string') return ok({ ...at, damage: `${h} at offset ${pos}` });
      if (h.length > fileBytes - pos - HEADER_BYTES) return ok({ ...at, damage: `short payload at offset ${pos}` });
      if (h.seq !== seq) return ok({ ...at, damage: `seq ${h.seq} where ${seq} was expected at offset ${pos}` });
      const total = HEADER_BYTES + h.length;
      if (buf.length < total) {
        const head = Buffer.from(buf.subarray(0, HEADER_BYTES));
        buf = Buffer.allocUnsafe(total);
        head.copy(buf);
      }
      fs.readSync(fd, buf, HEADER_BYTES, h.length, pos + HEADER_BYTES);
      if (recordCrc(buf, buf.subarray(HEADER_BYTES, total)) !== h.crc) return ok({ ...at, damage: `bad CRC at offset ${pos}` });
      visit(seq, h.events, h.length);
      pos += total;
      seq += 1;
    }
    return ok({ validBytes: pos, fileBytes });
  } catch (e) {
    return fail('VIGIE_SPOOL_IO', `cannot read a segment: ${(e as Error).message}`, { file });
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Appends to `out` the unsettled records of `seg` with seq >= fromSeq until `out` holds `max`,
 * checking each CRC; damaged seqs go to `damaged`. Uses `fd` (the active segment's) when given,
 * else opens the file for the duration of the call. I/O errors throw.
 */
export function readUnsettled(
  file: string, fd: number | undefined, seg: SegmentIndex, fromSeq: number, max: number,
  out: SpoolEntry[], damaged: number[],
): void {
  const own = fd === undefined;
  const rfd = fd ?? fs.openSync(file, 'r');
  try {
    for (const seq of seg.unsettledFrom(fromSeq)) {
      if (out.length >= max) break;
      const span = seg.span(seq);
      const rec = readSpan(rfd, span.offset, span.length);
      if (recordIntact(rec, seq)) out.push({ seq, events: span.events, payload: rec.subarray(HEADER_BYTES) });
      else damaged.push(seq);
    }
  } finally {
    if (own) fs.closeSync(rfd);
  }
}

/** Reads `length` bytes at `offset`: one whole record, header included. Short reads throw. */
export function readSpan(fd: number, offset: number, length: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const n = fs.readSync(fd, buf, got, length - got, offset + got);
    if (n === 0) throw new Error(`segment ends at ${offset + got}, inside a record ending at ${offset + length}`);
    got += n;
  }
  return buf;
}

/** Writes all of `parts` at `position`; a short write throws, like an error does. */
export function writeAllAt(fd: number, parts: Uint8Array[], position: number): void {
  const want = parts.reduce((n, p) => n + p.length, 0);
  const wrote = fs.writevSync(fd, parts, position);
  if (wrote !== want) {
    // writev on a regular file is short only when the disk is full; finish it or let it throw.
    let done = wrote;
    const all = Buffer.concat(parts);
    while (done < want) {
      const n = fs.writeSync(fd, all, done, want - done, position + done);
      if (n === 0) throw new Error(`short write at ${position + done}`);
      done += n;
    }
  }
}

export function unlinkQuiet(file: string): boolean {
  try {
    fs.unlinkSync(file);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT';
  }
}
