/**
 * A minimal tar reader for rule archives (SigmaHQ release tarballs): ustar and old-style headers,
 * regular files only. GNU long names ('L') and pax extended headers ('x', their `path`) name the
 * entry that follows; pax global headers, directories, links and other kinds are skipped.
 * Pure: bytes in, entries out.
 */
import type { Result } from '../../common/errors.js';
import { fail, ok } from '../../common/errors.js';

export interface TarEntry {
  name: string;
  data: Buffer;
}

const BLOCK = 512;

export function readTar(archive: Buffer, file: string): Result<TarEntry[]> {
  const entries: TarEntry[] = [];
  let offset = 0;
  let longName: string | undefined;
  while (offset + BLOCK <= archive.length) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) return ok(entries); // end-of-archive marker
    const bad = (why: string): Result<TarEntry[]> =>
      fail('VIGIE_RULE_PARSE', `corrupt tar archive: ${why} in the header at byte ${offset}`, { file, offset });
    const expected = parseOctal(header.subarray(148, 156));
    if (expected === undefined || expected !== checksum(header)) return bad('bad checksum');
    const size = parseSize(header.subarray(124, 136));
    if (size === undefined) return bad('bad size');
    const dataStart = offset + BLOCK;
    if (dataStart + size > archive.length) return bad('truncated entry');
    const data = archive.subarray(dataStart, dataStart + size);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    const type = String.fromCharCode(header[156] ?? 0);
    switch (type) {
      case 'L':
        longName = cString(data);
        continue;
      case 'x':
        longName = paxPath(data) ?? longName;
        continue;
      case '0':
      case '\0':
      case '7': {
        const name = longName ?? headerName(header);
        longName = undefined;
        entries.push({ name, data: Buffer.from(data) });
        continue;
      }
      default:
        // directories, links, devices, pax global headers ('g'), GNU long link names ('K')
        longName = undefined;
        continue;
    }
  }
  return ok(entries);
}

function cString(bytes: Buffer): string {
  const end = bytes.indexOf(0);
  return bytes.subarray(0, end < 0 ? bytes.length : end).toString('utf8');
}

function headerName(header: Buffer): string {
  const name = cString(header.subarray(0, 100));
  const ustar = header.subarray(257, 262).toString('latin1') === 'ustar';
  const prefix = ustar ? cString(header.subarray(345, 500)) : '';
  return prefix === '' ? name : `${prefix}/${name}`;
}

function parseOctal(field: Buffer): number | undefined {
  const text = field.toString('latin1').replace(/[\0 ]+$/g, '').replace(/^[\0 ]+/, '');
  if (text === '') return 0;
  return /^[0-7]+$/.test(text) ? parseInt(text, 8) : undefined;
}

/** Sizes are octal, or GNU base-256 (high bit set) for files of 8 GiB and more. */
function parseSize(field: Buffer): number | undefined {
  if (((field[0] ?? 0) & 0x80) === 0) return parseOctal(field);
  let n = (field[0] ?? 0) & 0x7f;
  for (const b of field.subarray(1)) n = n * 256 + b;
  return Number.isSafeInteger(n) ? n : undefined;
}

/** The header checksum: the sum of its bytes with the checksum field read as spaces. */
function checksum(header: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (header[i] ?? 0);
  return sum;
}

/** The `path` record of a pax extended header ("<length> path=<name>\n" records). */
function paxPath(data: Buffer): string | undefined {
  let path: string | undefined;
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space < 0) break;
    const length = Number(data.subarray(pos, space).toString('latin1'));
    if (!Number.isInteger(length) || length <= 0 || pos + length > data.length) break;
    const record = data.subarray(space + 1, pos + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0 && record.slice(0, eq) === 'path') path = record.slice(eq + 1);
    pos += length;
  }
  return path;
}
