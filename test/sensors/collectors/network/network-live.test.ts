/**
 * The network collector on this host's real socket tables: a TCP listener and a connection to it
 * opened by this test process must be reported, mapped to this process, whether the tables are
 * read from /proc/net or dumped over NETLINK_SOCK_DIAG (the native addon, built by npm install).
 */
import { createServer, createConnection } from 'node:net';
import type { Server, Socket } from 'node:net';
import { createSocket } from 'node:dgram';
import type { Socket as UdpSocket } from 'node:dgram';
import { realpathSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Direction, Protocol, Source } from '../../../../common/events.js';
import type { Event } from '../../../../common/events.js';
import { NetworkCollector } from '../../../../sensors/collectors/network/index.js';
import { ProcReader, startTimeMs } from '../../../../sensors/proc/index.js';
import { SOCK_DIAG_TABLES, SockDiagTables } from '../../../../sensors/proc/sock-diag.js';
import { CollectSink } from '../collect-sink.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

function selfRef(): { pid: number; startTimeMs: number } {
  const reader = new ProcReader();
  const boot = reader.bootTimeMs();
  const st = reader.stat(process.pid);
  if (!boot.ok || !st.ok) throw new Error('cannot read /proc/self');
  return { pid: process.pid, startTimeMs: startTimeMs(boot.value, st.value.startTicks) };
}

async function tcpPair(): Promise<{ port: number; client: Socket }> {
  const server: Server = createServer((s) => closers.push(async () => { s.destroy(); }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const client = createConnection({ host: '127.0.0.1', port: address.port });
  closers.push(async () => { client.destroy(); });
  await new Promise<void>((resolve, reject) => client.once('connect', resolve).once('error', reject));
  return { port: address.port, client };
}

const net = (e: Event) => e.network;

describe.each(['procfs', 'sockdiag'] as const)('network collector, live, socket tables from %s', (source) => {
  it('maps a real TCP listener and both ends of a connection to this process', async () => {
    const { port, client } = await tcpPair();
    const clientPort = client.localPort;
    if (clientPort === undefined) throw new Error('no client port');

    const sink = new CollectSink();
    const collector = new NetworkCollector({ intervalMs: 100, socketSource: source });
    closers.push(() => collector.stop());
    await collector.start(sink);
    expect(collector.mode).toBe(`${source}-poll`);

    const tcp = (e: Event) => net(e)?.protocol === Protocol.PROTOCOL_TCP && net(e)?.localAddress === '127.0.0.1';
    const listen = await sink.waitFor((e) => tcp(e) && net(e)?.localPort === port && net(e)?.direction === Direction.DIRECTION_LISTEN, 3000, 'LISTEN');
    const outbound = await sink.waitFor((e) => tcp(e) && net(e)?.localPort === clientPort && net(e)?.remotePort === port, 3000, 'client end');
    const inbound = await sink.waitFor((e) => tcp(e) && net(e)?.localPort === port && net(e)?.remotePort === clientPort, 3000, 'server end');

    const me = selfRef();
    const image = realpathSync(process.execPath);
    for (const e of [listen, outbound, inbound]) {
      expect(e.source).toBe(Source.SOURCE_PROCFS);
      expect(net(e)?.process).toEqual(me);
      expect(net(e)?.image).toBe(image);
      expect(net(e)?.bytesSent).toBe(0);
    }
    expect(net(listen)?.state).toBe('LISTEN');
    expect(net(listen)?.remoteAddress).toBe('0.0.0.0');
    expect(net(outbound)?.direction).toBe(Direction.DIRECTION_OUTBOUND);
    expect(net(outbound)?.remoteAddress).toBe('127.0.0.1');
    expect(net(outbound)?.state).toBe('ESTABLISHED');
    expect(net(inbound)?.direction).toBe(Direction.DIRECTION_INBOUND);
    expect(net(inbound)?.state).toBe('ESTABLISHED');
    if (process.getuid?.() === 0) expect(net(listen)?.user).toBe('root');

    // Reported once: more polls do not repeat them.
    const count = () => sink.received.filter((e) => tcp(e) && (net(e)?.localPort === port || net(e)?.localPort === clientPort)).length;
    const before = count();
    await new Promise((r) => setTimeout(r, 350));
    expect(count()).toBe(before);
    expect(before).toBe(3);
  });

  it('maps a UDP socket bound on ::1 and shows it as a listener', async (ctx) => {
    const udp: UdpSocket = createSocket('udp6');
    closers.push(() => new Promise<void>((resolve) => udp.close(() => resolve())));
    const bound = await new Promise<boolean>((resolve) => {
      udp.once('error', () => resolve(false));
      udp.bind(0, '::1', () => resolve(true));
    });
    if (!bound) return ctx.skip('no IPv6 loopback on this host');
    const port = udp.address().port;
    const sink = new CollectSink();
    const collector = new NetworkCollector({ intervalMs: 100, tables: ['udp6'], socketSource: source });
    closers.push(() => collector.stop());
    await collector.start(sink);
    const e = await sink.waitFor((x) => net(x)?.localPort === port, 3000, 'udp6 socket');
    expect(net(e)?.protocol).toBe(Protocol.PROTOCOL_UDP);
    expect(net(e)?.localAddress).toBe('::1');
    expect(net(e)?.remoteAddress).toBe('::');
    expect(net(e)?.direction).toBe(Direction.DIRECTION_LISTEN);
    expect(net(e)?.state).toBe('');
    expect(net(e)?.process?.pid).toBe(process.pid);
  });
});

describe('network collector, a table the kernel has no sock_diag handler for', () => {
  it('reads that table from /proc/net, says so once, and keeps the other tables on sock_diag', async () => {
    // This kernel has the TCP and UDP diag modules; the udp table is pointed at IP protocol 8
    // (EGP), which no kernel has a diag handler for: the real dump fails with ENOENT, as it does
    // on a kernel built without CONFIG_INET_UDP_DIAG.
    const which = { ...SOCK_DIAG_TABLES, udp: { family: 2, protocol: 8 } };
    const probe = SockDiagTables.open(which);
    expect(probe.ok).toBe(true);
    if (!probe.ok) return;
    expect(probe.value.text('udp')).toMatchObject({ ok: false, errno: 'ENOENT', error: { code: 'VIGIE_NETLINK_UNAVAILABLE' } });

    const udp: UdpSocket = createSocket('udp4');
    closers.push(() => new Promise<void>((resolve) => udp.close(() => resolve())));
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
    const udpPort = udp.address().port;
    const { port } = await tcpPair();

    const sink = new CollectSink();
    const collector = new NetworkCollector({ intervalMs: 100, tables: ['tcp', 'udp'], socketSource: 'sockdiag' }, () => SockDiagTables.open(which));
    closers.push(() => collector.stop());
    await collector.start(sink);
    expect(collector.mode).toBe('sockdiag-poll');
    const u = await sink.waitFor((e) => net(e)?.protocol === Protocol.PROTOCOL_UDP && net(e)?.localPort === udpPort, 3000, 'udp socket from /proc/net/udp');
    expect(net(u)?.process?.pid).toBe(process.pid);
    await sink.waitFor((e) => net(e)?.protocol === Protocol.PROTOCOL_TCP && net(e)?.localPort === port, 3000, 'tcp listener from sock_diag');
    await new Promise((r) => setTimeout(r, 350)); // more polls: the fall-back is said once
    const said = sink.problems.filter((p) => p.message.includes('no sock_diag for udp'));
    expect(said).toHaveLength(1);
    expect(said[0]!.code).toBe('VIGIE_NETLINK_UNAVAILABLE');
    expect(sink.problems.filter((p) => p.message.includes('tcp'))).toHaveLength(0);
  });
});
