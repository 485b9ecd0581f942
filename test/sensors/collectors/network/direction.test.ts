import { describe, expect, it } from 'vitest';
import { Direction } from '../../../../common/events.js';
import {
  connectionKey, directionOf, isListening, listeningPorts, tupleKey,
} from '../../../../sensors/collectors/network/index.js';
import { listeningPortKeyOfRow, rowKeys } from '../../../../sensors/collectors/network/direction.js';
import { parseSocketLine, scanSocketRows } from '../../../../sensors/proc/parse-net.js';
import type { SocketTableName } from '../../../../sensors/proc/parse-net.js';
import { SeenSet } from '../../../../sensors/collectors/network/seen-set.js';
import type { SocketEntry } from '../../../../sensors/proc/index.js';

const entry = (p: Partial<SocketEntry>): SocketEntry => ({ protocol: 'tcp', localAddress: '10.0.0.5', localPort: 40000,
  remoteAddress: '1.2.3.4', remotePort: 443, stateCode: 1, state: 'ESTABLISHED', uid: 0, inode: 1, ...p });

describe('direction', () => {
  const listener = entry({ localAddress: '0.0.0.0', localPort: 22, remoteAddress: '0.0.0.0', remotePort: 0, stateCode: 10, state: 'LISTEN' });
  const udpServer = entry({ protocol: 'udp', localAddress: '::', localPort: 53, remoteAddress: '::', remotePort: 0, stateCode: 7, state: '' });
  const ports = listeningPorts([listener, udpServer, entry({})]);

  it('knows listening sockets: TCP LISTEN and unconnected UDP', () => {
    expect(isListening(listener)).toBe(true);
    expect(isListening(udpServer)).toBe(true);
    expect(isListening(entry({ protocol: 'udp', remotePort: 53, remoteAddress: '8.8.8.8' }))).toBe(false);
    expect(isListening(entry({ stateCode: 2 }))).toBe(false); // SYN_SENT to port 0 is not a listener
    expect([...ports].sort()).toEqual(['tcp/22', 'udp/53']);
  });

  it('LISTEN, INBOUND on a listening port, OUTBOUND otherwise, per protocol', () => {
    expect(directionOf(listener, ports)).toBe(Direction.DIRECTION_LISTEN);
    expect(directionOf(entry({ localPort: 22, remotePort: 51000 }), ports)).toBe(Direction.DIRECTION_INBOUND);
    expect(directionOf(entry({ localPort: 51000, remotePort: 22 }), ports)).toBe(Direction.DIRECTION_OUTBOUND);
    expect(directionOf(entry({ protocol: 'udp', localPort: 22, remotePort: 9999 }), ports)).toBe(Direction.DIRECTION_OUTBOUND);
    expect(directionOf(entry({ protocol: 'udp', localPort: 53, remotePort: 9999 }), ports)).toBe(Direction.DIRECTION_INBOUND);
  });

  it('keys: the inode tells sockets with the same ends apart; the tuple does not', () => {
    expect(connectionKey(entry({ inode: 1 }))).not.toBe(connectionKey(entry({ inode: 2 })));
    expect(tupleKey(entry({ inode: 1 }))).toBe(tupleKey(entry({ inode: 0, stateCode: 6 })));
    expect(tupleKey(entry({ protocol: 'udp' }))).not.toBe(tupleKey(entry({})));
  });
});

describe('the same rules on undecoded rows', () => {
  const header = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
  const line = (local: string, remote: string, st: string, inode: number) =>
    `   0: ${local} ${remote} ${st} 00000000:00000000 00:00000000 00000000     0        0 ${inode} 1 0000000000000000`;
  const tables: Record<SocketTableName, string[]> = {
    tcp: [line('00000000:0016', '00000000:0000', '0A', 1), line('0500000A:0016', '0900000A:C350', '01', 2),
      line('0500000A:C350', '00000000:0000', '02', 3)], // SYN_SENT to port 0: not a listener
    tcp6: [line('00000000000000000000000000000000:0050', '00000000000000000000000000000000:0000', '0A', 4)],
    udp: [line('00000000:0035', '00000000:0000', '07', 5), line('0500000A:C351', '08080808:0035', '01', 6)],
    udp6: [line('00000000000000000000000000000000:0035', '00000000000000000000000000000000:0000', '07', 7),
      // remote ::ffff:0.0.0.0 port 0 decodes to 0.0.0.0: unconnected, as isListening says
      line('00000000000000000000000000000000:0036', '0000000000000000FFFF000000000000:0000', '07', 8)],
  };

  it('listeningPortKeyOfRow agrees with isListening and listeningPorts', () => {
    for (const [table, lines] of Object.entries(tables) as [SocketTableName, string[]][]) {
      for (const row of scanSocketRows([header, ...lines, ''].join('\n'))) {
        const e = parseSocketLine(row.line, table);
        if (!e) throw new Error(`bad fixture line ${row.line}`);
        const key = listeningPortKeyOfRow(row, table);
        expect(key !== undefined, row.line).toBe(isListening(e));
        if (key !== undefined) expect([key]).toEqual([...listeningPorts([e])]);
      }
    }
  });

  it('rowKeys: the tuple is shared with the same ends in TIME_WAIT, the socket key is not', () => {
    const [open, closing] = scanSocketRows([header, line('0500000A:C350', '0900000A:0016', '01', 9),
      line('0500000A:C350', '0900000A:0016', '06', 0), ''].join('\n'));
    expect(rowKeys(open!, 'tcp').tuple).toBe(rowKeys(closing!, 'tcp').tuple);
    expect(rowKeys(open!, 'tcp').socket).not.toBe(rowKeys(closing!, 'tcp').socket);
    expect(rowKeys(open!, 'tcp').tuple).not.toBe(rowKeys(open!, 'udp').tuple);
  });
});

describe('SeenSet', () => {
  it('forgets keys not seen for `grace` generations', () => {
    const s = new SeenSet(10, 2);
    s.mark('a');
    s.mark('b');
    expect(s.sweep()).toBe(0);
    s.mark('a');
    expect(s.sweep()).toBe(0); // b missed one generation: kept
    s.mark('a');
    expect(s.sweep()).toBe(1); // b missed two: dropped
    expect(s.has('a')).toBe(true);
    expect(s.has('b')).toBe(false);
  });

  it('refuses new keys when full, still accepts known ones', () => {
    const s = new SeenSet(2);
    expect(s.mark('a')).toBe(true);
    expect(s.mark('b')).toBe(true);
    expect(s.mark('c')).toBe(false);
    expect(s.mark('a')).toBe(true);
    expect(s.size).toBe(2);
  });
});
