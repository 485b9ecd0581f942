/**
 * Pure parsers of the kernel's socket tables, /proc/net/{tcp,tcp6,udp,udp6}, and of fd links.
 * Hand-written: @stroncium/procfs's processNetTcp4/6 drop the state and inode columns.
 */
import { endianness } from 'node:os';
import type { VigieProblem } from '../../common/errors.js';
import { libProcessFd } from './procfs-lib.js';

export type SocketTableName = 'tcp' | 'tcp6' | 'udp' | 'udp6';
export const SOCKET_TABLES: readonly SocketTableName[] = ['tcp', 'tcp6', 'udp', 'udp6'];

export interface SocketEntry {
  protocol: 'tcp' | 'udp';
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  /** The kernel's state number (TCP_ESTABLISHED = 1 ... TCP_NEW_SYN_RECV = 12). */
  stateCode: number;
  /** TCP state name; empty for UDP (the proto's convention). */
  state: string;
  uid: number;
  /** Socket inode; 0 when no file holds the socket (TIME_WAIT, orphaned). */
  inode: number;
}

export interface SocketTable {
  entries: SocketEntry[];
  /** One per line that could not be parsed; the other lines are still returned. */
  problems: VigieProblem[];
}

const TCP_STATES: readonly string[] = ['', 'ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'FIN_WAIT1',
  'FIN_WAIT2', 'TIME_WAIT', 'CLOSE', 'CLOSE_WAIT', 'LAST_ACK', 'LISTEN', 'CLOSING', 'NEW_SYN_RECV'];

export const TCP_LISTEN = 10;
export const TCP_TIME_WAIT = 6;

export function tcpStateName(code: number): string {
  return TCP_STATES[code] ?? `UNKNOWN_${code}`;
}

/**
 * The kernel prints each 32-bit word of an address with %08X of the word as the CPU holds it,
 * so on a little-endian host the bytes of each word come out reversed.
 */
const HOST_LITTLE_ENDIAN = endianness() === 'LE';

function wordBytes(hex: string, littleEndian: boolean, into: number[]): boolean {
  if (!/^[0-9A-Fa-f]{8}$/.test(hex)) return false;
  const b = [0, 2, 4, 6].map((i) => parseInt(hex.slice(i, i + 2), 16));
  if (littleEndian) b.reverse();
  into.push(...b);
  return true;
}

/** "0100007F" -> "127.0.0.1" (on little-endian hosts). Undefined if not 8 hex digits. */
export function decodeIpv4Hex(hex: string, littleEndian = HOST_LITTLE_ENDIAN): string | undefined {
  const bytes: number[] = [];
  return wordBytes(hex, littleEndian, bytes) ? bytes.join('.') : undefined;
}

/** 32 hex digits, four words -> RFC 5952 text; IPv4-mapped (::ffff:a.b.c.d) comes out as IPv4. */
export function decodeIpv6Hex(hex: string, littleEndian = HOST_LITTLE_ENDIAN): string | undefined {
  if (hex.length !== 32) return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < 32; i += 8) if (!wordBytes(hex.slice(i, i + 8), littleEndian, bytes)) return undefined;
  return formatIpv6(bytes);
}

/** 16 bytes -> RFC 5952: lower case, no leading zeros, the longest run (>= 2) of zero groups as ::. */
export function formatIpv6(bytes: readonly number[]): string {
  const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (mapped) return bytes.slice(12).join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLen < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

function decodeEndpoint(text: string | undefined, ipv6: boolean): { address: string; port: number } | undefined {
  if (text === undefined) return undefined;
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  const portHex = text.slice(colon + 1);
  if (!/^[0-9A-Fa-f]{4}$/.test(portHex)) return undefined;
  const address = ipv6 ? decodeIpv6Hex(text.slice(0, colon)) : decodeIpv4Hex(text.slice(0, colon));
  return address === undefined ? undefined : { address, port: parseInt(portHex, 16) };
}

/**
 * One table's text. The first line is the header; each other line is
 * `sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...`.
 */
export function parseSocketTable(text: string, table: SocketTableName, file?: string): SocketTable {
  const entries: SocketEntry[] = [];
  const problems: VigieProblem[] = [];
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '') continue;
    const entry = parseSocketLine(line, table);
    if (entry) entries.push(entry);
    else problems.push(socketLineProblem(table, i + 1, file));
  }
  return { entries, problems };
}

/** One line of a table, decoded; undefined when it does not have the expected columns. */
export function parseSocketLine(line: string, table: SocketTableName): SocketEntry | undefined {
  const protocol = table.startsWith('tcp') ? 'tcp' : 'udp';
  const f = line.trim().split(/\s+/);
  const local = decodeEndpoint(f[1], table.endsWith('6'));
  const remote = decodeEndpoint(f[2], table.endsWith('6'));
  const st = f[3] ?? '';
  const uid = f[7] ?? '';
  const inode = f[9] ?? '';
  if (!local || !remote || !/^[0-9A-Fa-f]{2}$/.test(st) || !/^\d+$/.test(uid) || !/^\d+$/.test(inode)) return undefined;
  const stateCode = parseInt(st, 16);
  return {
    protocol,
    localAddress: local.address,
    localPort: local.port,
    remoteAddress: remote.address,
    remotePort: remote.port,
    stateCode,
    state: protocol === 'tcp' ? tcpStateName(stateCode) : '',
    uid: Number(uid),
    inode: Number(inode),
  };
}

export function socketLineProblem(table: SocketTableName, line: number, file?: string): VigieProblem {
  return { code: 'VIGIE_PROC_PARSE', message: 'socket table line does not have the expected columns',
    location: { file: file ?? `net/${table}`, line } };
}

/**
 * A line of a socket table cut at its columns but not decoded: the cheap pass a poller makes over
 * every socket, to find the few that are new before paying for decoding them (parseSocketLine).
 */
export interface SocketRow {
  /** Both ends as the kernel printed them ("0100007F:0277 00000000:0000"): equal for equal tuples. */
  ends: string;
  /** The inode column as printed; "0" when no file holds the socket. */
  inode: string;
  /** The state column as printed (two hex digits). */
  state: string;
  /** The whole line, and its 1-based number in the file (header = 1). */
  line: string;
  lineNo: number;
}

const SPACE = 0x20;

/**
 * Every line of a table after the header, cut at columns 1 (local), 2 (remote), 3 (state) and 9
 * (inode). Lines with fewer columns come back with empty fields: parseSocketLine reports them.
 * No regular expression and no split: on a busy host this runs over thousands of lines a second.
 */
export function scanSocketRows(text: string): SocketRow[] {
  const rows: SocketRow[] = [];
  let start = text.indexOf('\n') + 1;
  let lineNo = 2;
  while (start > 0 && start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    // Columns are separated by runs of spaces; record where 1, 2, 3 and 9 start and end.
    let col = -1;
    let localStart = -1, stateStart = -1, stateEnd = -1, remoteEnd = -1, inodeStart = -1, inodeEnd = -1;
    let i = start;
    while (i < end && col < 9) {
      while (i < end && text.charCodeAt(i) === SPACE) i++;
      if (i >= end) break;
      const tokenStart = i;
      while (i < end && text.charCodeAt(i) !== SPACE) i++;
      col++;
      if (col === 1) localStart = tokenStart;
      else if (col === 2) remoteEnd = i;
      else if (col === 3) { stateStart = tokenStart; stateEnd = i; }
      else if (col === 9) { inodeStart = tokenStart; inodeEnd = i; }
    }
    if (col >= 0) {
      rows.push({
        ends: remoteEnd > localStart && localStart >= 0 ? text.slice(localStart, remoteEnd) : '',
        inode: inodeStart >= 0 ? text.slice(inodeStart, inodeEnd) : '',
        state: stateStart >= 0 ? text.slice(stateStart, stateEnd) : '',
        line: text.slice(start, end),
        lineNo,
      });
    }
    start = end + 1;
    lineNo++;
  }
  return rows;
}

/** "socket:[12345]" -> 12345; undefined for any other fd link (file, pipe, anon_inode...). */
export function socketInodeOf(link: string): number | undefined {
  if (!link.startsWith('socket:')) return undefined;
  try {
    const fd = libProcessFd(link);
    return fd.type === 'socket' && Number.isSafeInteger(fd.inode) ? fd.inode : undefined;
  } catch {
    return undefined; // a link kind the library does not know: not a socket
  }
}
