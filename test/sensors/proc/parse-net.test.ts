import { describe, expect, it } from 'vitest';
import {
  decodeIpv4Hex, decodeIpv6Hex, formatIpv6, parseSocketTable, socketInodeOf, tcpStateName,
} from '../../../sensors/proc/index.js';
import { parseSocketLine, scanSocketRows } from '../../../sensors/proc/parse-net.js';

// Header and lines as this host's kernel prints them (trailing spaces included).
const TCP = [
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode                                                     ',
  '   0: 0100007F:0277 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1050 1 00000000719cc3e2 100 0 0 10 0                      ',
  '   1: 0500000A:9C40 22D8B85D:01BB 01 00000000:00000000 02:000A7D6E 00000000  1000        0 20003 4 0000000000000000 20 4 29 10 -1                    ',
  '   2: 0500000A:9C41 22D8B85D:01BB 06 00000000:00000000 03:00001779 00000000     0        0 0 3 0000000000000000                                      ',
  '',
].join('\n');

const TCP6 = [
  '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
  '   0: 00000000000000000000000000000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000    33        0 20010 1 0000000000000000 100 0 0 10 0',
  '   1: 0000000000000000FFFF00000500000A:0050 0000000000000000FFFF00000700000A:C3CB 01 00000000:00000000 00:00000000 00000000    33        0 20011 1 0000000000000000 20 4 30 10 -1',
  '   2: B80D0120000000000000000001000000:A000 0028062601002002931848024619C825:01BB 02 00000001:00000000 01:00000064 00000002  1000        0 20012 2 0000000000000000 100 0 0 10 -1',
  '',
].join('\n');

const UDP = [
  '   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops             ',
  '  123: 00000000:0044 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 20020 2 0000000000000000 0          ',
  '',
].join('\n');

describe('address decoding', () => {
  it('IPv4: each 32-bit word is printed in host (little-endian) order', () => {
    expect(decodeIpv4Hex('0100007F', true)).toBe('127.0.0.1');
    expect(decodeIpv4Hex('22D8B85D', true)).toBe('93.184.216.34');
    expect(decodeIpv4Hex('00000000', true)).toBe('0.0.0.0');
    expect(decodeIpv4Hex('7F000001', false)).toBe('127.0.0.1'); // a big-endian host
    expect(decodeIpv4Hex('0100007', true)).toBeUndefined();
    expect(decodeIpv4Hex('0100007G', true)).toBeUndefined();
  });

  it('IPv6: four little-endian words, RFC 5952 text', () => {
    expect(decodeIpv6Hex('00000000000000000000000001000000', true)).toBe('::1');
    expect(decodeIpv6Hex('00000000000000000000000000000000', true)).toBe('::');
    expect(decodeIpv6Hex('B80D0120000000000000000001000000', true)).toBe('2001:db8::1');
    expect(decodeIpv6Hex('0028062601002002931848024619C825', true)).toBe('2606:2800:220:1:248:1893:25c8:1946');
    expect(decodeIpv6Hex('000080FE000000000000010005000000', true)).toBe('fe80::1:0:0:5');
  });

  it('IPv4-mapped IPv6 is shown as IPv4', () => {
    expect(decodeIpv6Hex('0000000000000000FFFF00000500000A', true)).toBe('10.0.0.5');
  });

  it('compresses the longest zero run, the first one on a tie, never a single group', () => {
    const bytes = (groups: number[]) => groups.flatMap((g) => [g >> 8, g & 0xff]);
    expect(formatIpv6(bytes([1, 0, 0, 2, 0, 0, 0, 3]))).toBe('1:0:0:2::3');
    expect(formatIpv6(bytes([1, 0, 0, 2, 0, 0, 3, 4]))).toBe('1::2:0:0:3:4');
    expect(formatIpv6(bytes([1, 0, 2, 3, 4, 5, 6, 7]))).toBe('1:0:2:3:4:5:6:7');
  });
});

describe('parseSocketTable', () => {
  it('reads tcp lines: ends, state names, uid and inode', () => {
    const t = parseSocketTable(TCP, 'tcp');
    expect(t.problems).toEqual([]);
    expect(t.entries).toHaveLength(3);
    expect(t.entries[0]).toEqual({ protocol: 'tcp', localAddress: '127.0.0.1', localPort: 631, remoteAddress: '0.0.0.0',
      remotePort: 0, stateCode: 10, state: 'LISTEN', uid: 0, inode: 1050 });
    expect(t.entries[1]).toMatchObject({ localAddress: '10.0.0.5', localPort: 40000, remoteAddress: '93.184.216.34',
      remotePort: 443, state: 'ESTABLISHED', uid: 1000, inode: 20003 });
    expect(t.entries[2]).toMatchObject({ state: 'TIME_WAIT', inode: 0 });
  });

  it('reads tcp6 lines, mapped and native', () => {
    const t = parseSocketTable(TCP6, 'tcp6');
    expect(t.problems).toEqual([]);
    expect(t.entries.map((e) => [e.localAddress, e.localPort, e.remoteAddress, e.remotePort, e.state])).toEqual([
      ['::', 80, '::', 0, 'LISTEN'],
      ['10.0.0.5', 80, '10.0.0.7', 50123, 'ESTABLISHED'],
      ['2001:db8::1', 40960, '2606:2800:220:1:248:1893:25c8:1946', 443, 'SYN_SENT'],
    ]);
  });

  it('udp has no state name', () => {
    const t = parseSocketTable(UDP, 'udp');
    expect(t.entries).toEqual([{ protocol: 'udp', localAddress: '0.0.0.0', localPort: 68, remoteAddress: '0.0.0.0',
      remotePort: 0, stateCode: 7, state: '', uid: 0, inode: 20020 }]);
  });

  it('reports each bad line with its number and keeps the good ones', () => {
    const lines = TCP.split('\n');
    const text = [lines[0], 'garbage', lines[1], '   9: 0100007F 00000000:0000 0A 0 0 0 0 0 1', ''].join('\n');
    const t = parseSocketTable(text, 'tcp', '/proc/net/tcp');
    expect(t.entries).toHaveLength(1);
    expect(t.problems.map((p) => [p.code, p.location?.line, p.location?.file])).toEqual([
      ['VIGIE_PROC_PARSE', 2, '/proc/net/tcp'], ['VIGIE_PROC_PARSE', 4, '/proc/net/tcp']]);
  });

  it('header only: no entries, no problems', () => {
    expect(parseSocketTable(`${TCP.split('\n')[0]}\n`, 'tcp')).toEqual({ entries: [], problems: [] });
  });

  it('names every TCP state', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map(tcpStateName)).toEqual(['ESTABLISHED', 'SYN_SENT', 'SYN_RECV',
      'FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT', 'CLOSE', 'CLOSE_WAIT', 'LAST_ACK', 'LISTEN', 'CLOSING', 'NEW_SYN_RECV']);
    expect(tcpStateName(99)).toBe('UNKNOWN_99');
  });
});

describe('scanSocketRows (the cheap pass) and parseSocketLine', () => {
  it('cuts each line at its columns without decoding', () => {
    expect(scanSocketRows(TCP).map((r) => [r.ends, r.state, r.inode, r.lineNo])).toEqual([
      ['0100007F:0277 00000000:0000', '0A', '1050', 2],
      ['0500000A:9C40 22D8B85D:01BB', '01', '20003', 3],
      ['0500000A:9C41 22D8B85D:01BB', '06', '0', 4],
    ]);
    expect(scanSocketRows(TCP6)[1]?.ends).toBe('0000000000000000FFFF00000500000A:0050 0000000000000000FFFF00000700000A:C3CB');
    expect(scanSocketRows(UDP).map((r) => r.inode)).toEqual(['20020']);
  });

  it('a row decodes to the entry the whole-table parser gives', () => {
    for (const [text, table] of [[TCP, 'tcp'], [TCP6, 'tcp6'], [UDP, 'udp']] as const) {
      expect(scanSocketRows(text).map((r) => parseSocketLine(r.line, table))).toEqual(parseSocketTable(text, table).entries);
    }
  });

  it('a short or garbled line gives a row with what it has, and no entry', () => {
    const text = `${TCP.split('\n')[0]}\ngarbage\n   9: 0100007F 00000000:0000 0A 0 0 0 0 0 1\n\n`;
    const rows = scanSocketRows(text);
    expect(rows.map((r) => [r.ends, r.inode, r.lineNo])).toEqual([['', '', 2], ['0100007F 00000000:0000', '1', 3]]);
    expect(rows.map((r) => parseSocketLine(r.line, 'tcp'))).toEqual([undefined, undefined]);
    expect(scanSocketRows('')).toEqual([]);
  });
});

describe('socketInodeOf', () => {
  it('finds the inode of socket links only', () => {
    expect(socketInodeOf('socket:[20003]')).toBe(20003);
    expect(socketInodeOf('pipe:[123]')).toBeUndefined();
    expect(socketInodeOf('/dev/null')).toBeUndefined();
    expect(socketInodeOf('anon_inode:[eventfd]')).toBeUndefined();
    expect(socketInodeOf('socket:garbage')).toBeUndefined();
  });
});
