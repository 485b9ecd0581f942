/**
 * The on-disk record of the sensor spool. Pure functions over bytes: no I/O here.
 *
 * A segment file `seg-<first seq, 16 digits>.log` is a plain concatenation of records holding
 * consecutive seqs (first, first+1, ...). One record:
 *
 *   offset size field
 *        0    4 magic 'VGS1' (0x31534756 little-endian)
 *        4    4 CRC32 of bytes 8..23 then of the payload
 *        8    4 payload length
 *       12    8 seq     (integer < 2^53, stored as two u32: low then high)
 *       20    4 events  (telemetry events in the batch, for loss accounting)
 *       24    . payload (an encoded TelemetryBatch; opaque here)
 *
 * All integers are little-endian. The CRC covers the length, seq and event count as well as the
 * payload, so a flipped bit in the header is caught like one in the payload: recovery never
 * trusts an event count or a seq it has not checked.
 */
import { crc32 } from 'node:zlib';

export const MAGIC = 0x31534756;
export const HEADER_BYTES = 24;
const U32 = 0x1_0000_0000;

export interface RecordHeader {
  readonly crc: number;
  readonly length: number;
  readonly seq: number;
  readonly events: number;
}

export function encodeHeader(seq: number, events: number, payload: Uint8Array): Buffer {
  const head = Buffer.allocUnsafe(HEADER_BYTES);
  head.writeUInt32LE(MAGIC, 0);
  head.writeUInt32LE(payload.length, 8);
  head.writeUInt32LE(seq % U32, 12);
  head.writeUInt32LE(Math.floor(seq / U32), 16);
  head.writeUInt32LE(events, 20);
  head.writeUInt32LE(recordCrc(head, payload), 4);
  return head;
}

export function recordCrc(head: Uint8Array, payload: Uint8Array): number {
  return crc32(payload, crc32(head.subarray(8, HEADER_BYTES)));
}

/** Reads the fixed header at `buf[0..24)`; a string says why it is not a record header. */
export function parseHeader(buf: Buffer): RecordHeader | string {
  if (buf.length < HEADER_BYTES) return 'short header';
  if (buf.readUInt32LE(0) !== MAGIC) return 'bad magic';
  return {
    crc: buf.readUInt32LE(4),
    length: buf.readUInt32LE(8),
    seq: buf.readUInt32LE(12) + buf.readUInt32LE(16) * U32,
    events: buf.readUInt32LE(20),
  };
}

/** True when `record` (header + payload, exactly) is intact and is the record `seq`. */
export function recordIntact(record: Buffer, seq: number): boolean {
  const h = parseHeader(record);
  if (typeof h === 'string' || h.seq !== seq || record.length !== HEADER_BYTES + h.length) return false;
  return recordCrc(record, record.subarray(HEADER_BYTES)) === h.crc;
}

const NAME = /^seg-(\d{16})\.log$/;

export function segmentName(firstSeq: number): string {
  return `seg-${String(firstSeq).padStart(16, '0')}.log`;
}

/** The first seq a segment file name announces, or undefined when it is not a segment file. */
export function parseSegmentName(name: string): number | undefined {
  const m = NAME.exec(name);
  if (!m) return undefined;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) ? n : undefined;
}
