import { describe, expect, it } from 'vitest';
import { Direction } from '../../../../common/events.js';
import {
  connectionKey, directionOf, isListening, listeningPorts, tupleKey,
} from '../../../../sensors/collectors/network/index.js';
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
