/**
 * sock_diag tables against /proc/net on this host: the same sockets, rendered in the same text,
 * so the network collector keys a socket the same whichever source reported it. Real sockets on
 * loopback (a listener, both ends of a connection, a UDP socket), a real netlink dump.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSocketTable, type SocketEntry } from '../../../sensors/proc/parse-net.js';
import { ProcReader } from '../../../sensors/proc/proc-reader.js';
import { renderSocketTable, SockDiagTables } from '../../../sensors/proc/sock-diag.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/**
 * A listener, CONNECTIONS connections to it (both ends each) and a UDP socket: more than 4 KiB
 * of /proc/net/tcp, which the kernel hands out about 4 KiB per read (the reader must read on).
 */
const CONNECTIONS = 20;
async function sockets(): Promise<number[]> {
  let accepted = 0;
  let allAccepted: () => void = () => {};
  const serverSide = new Promise<void>((resolve) => { allAccepted = resolve; });
  const server: Server = createServer((s) => {
    closers.push(async () => { s.destroy(); });
    if (++accepted === CONNECTIONS) allAccepted();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const port = (server.address() as { port: number }).port;
  const ports = [port];
  for (let i = 0; i < CONNECTIONS; i++) {
    const client: Socket = createConnection({ host: '127.0.0.1', port });
    closers.push(async () => { client.destroy(); });
    await new Promise<void>((resolve, reject) => client.once('connect', resolve).once('error', reject));
    ports.push(client.localPort!);
  }
  await serverSide; // both ends of every connection in the table, the server's with its inode
  const udp: UdpSocket = createSocket('udp4');
  closers.push(() => new Promise<void>((resolve) => udp.close(() => resolve())));
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
  return [...ports, udp.address().port];
}

const key = (e: SocketEntry) => `${e.protocol} ${e.localAddress}:${e.localPort} ${e.remoteAddress}:${e.remotePort} ${e.state}/${e.stateCode} uid ${e.uid} inode ${e.inode}`;

describe('sock_diag socket tables', () => {
  it('dumps the same sockets as /proc/net, in the same text', async () => {
    const ports = await sockets();
    const opened = SockDiagTables.open();
    if (!opened.ok) throw new Error(`${opened.error.code}: ${opened.error.message} (the native addon is built by npm install)`);
    const diag = opened.value;
    const proc = new ProcReader();
    // This test's live sockets: both ends among its ports (a listener's or the UDP socket's remote
    // port is 0). Other tests run beside this one: a socket of theirs may share one port number.
    const mine = new Set([...ports, 0]);
    const ours = (e: SocketEntry) => e.inode !== 0 && ports.includes(e.localPort) && mine.has(e.remotePort);
    for (const table of ['tcp', 'udp'] as const) {
      const fromProc = proc.socketTable(table);
      const fromDiag = diag.text(table);
      if (!fromProc.ok || !fromDiag.ok) throw new Error(`${table} unreadable`);
      const parsed = parseSocketTable(fromDiag.value.text, table, fromDiag.value.file);
      expect(parsed.problems).toEqual([]);
      const a = fromProc.value.entries.filter(ours).map(key).sort();
      const b = parsed.entries.filter(ours).map(key).sort();
      expect(b).toEqual(a);
      expect(b.length).toBe(table === 'tcp' ? 1 + 2 * CONNECTIONS : 1);
      if (table === 'tcp') expect(fromDiag.value.text.length).toBeGreaterThan(4096);
    }
  });

  it('renders records byte for byte as the kernel prints them', () => {
    // 127.0.0.1:8080 -> 10.0.0.5:443, ESTABLISHED, uid 1000, inode 4242.
    const r = Buffer.alloc(48);
    r[0] = 2;
    r[1] = 1;
    r.writeUInt32LE(1000, 4);
    r.writeUInt32LE(4242, 8);
    r.writeUInt16BE(8080, 12);
    r.writeUInt16BE(443, 14);
    Buffer.from([127, 0, 0, 1]).copy(r, 16);
    Buffer.from([10, 0, 0, 5]).copy(r, 32);
    const text = renderSocketTable(r, 48, false);
    const line = text.split('\n')[1]!;
    // As /proc/net/tcp on a little-endian host: each address word reversed, ports in hex.
    expect(line.trim().split(/\s+/).slice(1, 4)).toEqual(['0100007F:1F90', '0500000A:01BB', '01']);
    const [e] = parseSocketTable(text, 'tcp').entries;
    expect(e).toMatchObject({ localAddress: '127.0.0.1', localPort: 8080, remoteAddress: '10.0.0.5', remotePort: 443, state: 'ESTABLISHED', uid: 1000, inode: 4242 });
  });
});
