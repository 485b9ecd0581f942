/** The network collector on a fixture /proc: the committed socket tables and processes holding them. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VigieError } from '../../../../common/errors.js';
import { Direction, Protocol, Source } from '../../../../common/events.js';
import type { Event } from '../../../../common/events.js';
import { NetworkCollector } from '../../../../sensors/collectors/network/index.js';
import type { NetworkCollectorOptions } from '../../../../sensors/collectors/network/index.js';
import { FIXTURE_BOOT_MS, FakeProc } from '../../proc/fake-proc.js';
import { CollectSink } from '../collect-sink.js';

let fake: FakeProc;
let collector: NetworkCollector | undefined;

beforeEach(() => {
  fake = new FakeProc()
    .add({ pid: 50, ppid: 1, startTicks: 300, exe: '/usr/sbin/sshd' }).addSocket(50, 3, 20001).addSocket(50, 4, 20002)
    .add({ pid: 51, ppid: 50, startTicks: 900, exe: '/usr/sbin/sshd' }).addSocket(51, 3, 20001) // inherited listener
    .add({ pid: 60, ppid: 1, startTicks: 400, uid: 33, exe: '/usr/sbin/nginx' }).addSocket(60, 6, 20010).addSocket(60, 7, 20011)
    .add({ pid: 70, ppid: 1, startTicks: 500, exe: '/sbin/dhclient' }).addSocket(70, 5, 20020)
    .add({ pid: 80, ppid: 1, startTicks: 600, uid: 1000, exe: '/usr/bin/dig' }).addSocket(80, 3, 20021)
    .add({ pid: 100, ppid: 1, startTicks: 60_000, uid: 1000, exe: '/usr/bin/curl' })
    .addFdLink(100, 0, '/dev/null').addSocket(100, 3, 20003).addSocket(100, 4, 20012);
});
afterEach(async () => {
  await collector?.stop();
  collector = undefined;
  fake.cleanup();
});

async function start(options: NetworkCollectorOptions = {}): Promise<CollectSink> {
  const sink = new CollectSink();
  // A long interval: the test drives poll() itself.
  collector = new NetworkCollector({ procRoot: fake.procRoot, etcRoot: fake.etcRoot, host: 'h', intervalMs: 3_600_000, ...options });
  await collector.start(sink);
  return sink;
}

const D = Direction;
const row = (e: Event) => {
  const n = e.network;
  return [n?.protocol === Protocol.PROTOCOL_TCP ? 'tcp' : 'udp', `${n?.localAddress}:${n?.localPort}`,
    `${n?.remoteAddress}:${n?.remotePort}`, n?.direction, n?.state, n?.process?.pid, n?.image, n?.user];
};

describe('network collector on a fixture tree', () => {
  it('reports every open socket at start, mapped to its process by inode', async () => {
    const sink = await start();
    expect(collector?.mode).toBe('procfs-poll');
    expect(sink.problems).toEqual([]);
    expect(sink.batches).toEqual([9]);
    expect(sink.received.map(row)).toEqual(expectedRows());
    const curl = sink.received.find((e) => e.network?.process?.pid === 100);
    expect(curl?.network?.process).toEqual({ pid: 100, startTimeMs: FIXTURE_BOOT_MS + 600_000 });
    expect(curl?.source).toBe(Source.SOURCE_PROCFS);
    expect(curl?.host).toBe('h');
    expect(curl?.network?.bytesSent).toBe(0);
    expect(curl?.network?.bytesReceived).toBe(0);
    expect(collector?.stats()).toMatchObject({ connections: 9, unowned: 1, ownerScans: 1 });
  });

  it('reports a new socket once, scanning fds again only for unknown inodes', async () => {
    const sink = await start();
    collector?.poll();
    expect(sink.batches).toEqual([9]); // nothing new, no rescan
    expect(collector?.stats().ownerScans).toBe(1);

    fake.add({ pid: 101, ppid: 1, startTicks: 61_000, exe: '/usr/bin/ssh' }).addSocket(101, 3, 20030);
    appendLine('tcp', '   4: 0500000A:9C50 0900000A:0016 01 00000000:00000000 00:00000000 00000000     0        0 20030 1 0000000000000000 20 4 30 10 -1');
    collector?.poll();
    collector?.poll();
    expect(sink.batches).toEqual([9, 1]);
    expect(row(sink.received[9] as Event)).toEqual(['tcp', '10.0.0.5:40016', '10.0.0.9:22', D.DIRECTION_OUTBOUND,
      'ESTABLISHED', 101, '/usr/bin/ssh', 'root']);
    expect(collector?.stats().ownerScans).toBe(2);
  });

  it('a connection closing into TIME_WAIT (inode 0) is not reported again', async () => {
    const sink = await start();
    replaceInTable('tcp', '0500000A:9C40 22D8B85D:01BB 01', '0500000A:9C40 22D8B85D:01BB 06', ' 20003 ', ' 0 ');
    collector?.poll();
    expect(sink.batches).toEqual([9]);
  });

  it('forgets closed sockets after the grace of the generation sweep', async () => {
    const sink = await start();
    const original = readFileSync(join(fake.procRoot, 'net', 'udp'), 'utf8');
    fake.write('net/udp', `${original.split('\n')[0]}\n`);
    for (let i = 0; i < 3; i++) collector?.poll();
    fake.write('net/udp', original); // same inodes again: forgotten, so reported again
    collector?.poll();
    expect(sink.batches).toEqual([9, 2]);
  });

  it('reports bad table lines once, keeps the good ones', async () => {
    appendLine('tcp', '   9: garbage');
    const sink = await start();
    expect(sink.received).toHaveLength(9);
    expect(sink.problems).toHaveLength(1);
    expect(sink.problems[0]?.code).toBe('VIGIE_PROC_PARSE');
    expect(sink.problems[0]?.location?.file).toBe(join(fake.procRoot, 'net', 'tcp'));
    collector?.poll();
    expect(sink.problems).toHaveLength(1); // rate-limited
  });

  it('bounds the seen set: connections beyond it are counted, reported as overflow, never repeated', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 20; i++) {
      const port = (0xA000 + i).toString(16).toUpperCase();
      lines.push(`  ${10 + i}: 0500000A:${port} 22D8B85D:01BB 01 00000000:00000000 00:00000000 00000000     0        0 ${30_000 + i} 1 0000000000000000 20 4 30 10 -1`);
    }
    appendLine('tcp', lines.join('\n'));
    const sink = await start({ maxTrackedConnections: 16 });
    collector?.poll();
    const keys = sink.received.map((e) => JSON.stringify(row(e)) + String(e.network?.localPort));
    expect(new Set(keys).size).toBe(keys.length);
    expect(sink.received.length).toBeLessThanOrEqual(16);
    expect(sink.problems.map((p) => p.code)).toEqual(['VIGIE_COLLECTOR_OVERFLOW']);
    expect(collector?.stats().refused).toBeGreaterThan(0);
  });

  it('rejects bad options, naming all of them', () => {
    expect(() => new NetworkCollector({ intervalMs: 1, tables: ['tcp', 'sctp'] } as unknown as NetworkCollectorOptions))
      .toThrow(VigieError);
    expect(() => new NetworkCollector({ intervalMs: 1, tables: ['sctp'] } as unknown as NetworkCollectorOptions))
      .toThrow(/intervalMs.*tables/);
  });
});

function expectedRows(): unknown[][] {
  return [
    ['tcp', '0.0.0.0:22', '0.0.0.0:0', D.DIRECTION_LISTEN, 'LISTEN', 50, '/usr/sbin/sshd', 'root'],
    ['tcp', '10.0.0.5:22', '10.0.0.9:51000', D.DIRECTION_INBOUND, 'ESTABLISHED', 50, '/usr/sbin/sshd', 'root'],
    ['tcp', '10.0.0.5:40000', '93.184.216.34:443', D.DIRECTION_OUTBOUND, 'ESTABLISHED', 100, '/usr/bin/curl', 'alice'],
    ['tcp', '10.0.0.5:40001', '93.184.216.34:443', D.DIRECTION_OUTBOUND, 'TIME_WAIT', 0, '', 'root'],
    ['tcp', ':::80', ':::0', D.DIRECTION_LISTEN, 'LISTEN', 60, '/usr/sbin/nginx', 'www-data'],
    ['tcp', '10.0.0.5:80', '10.0.0.7:50123', D.DIRECTION_INBOUND, 'ESTABLISHED', 60, '/usr/sbin/nginx', 'www-data'],
    ['tcp', '2001:db8::1:40960', '2606:2800:220:1:248:1893:25c8:1946:443', D.DIRECTION_OUTBOUND, 'SYN_SENT', 100, '/usr/bin/curl', 'alice'],
    ['udp', '0.0.0.0:68', '0.0.0.0:0', D.DIRECTION_LISTEN, '', 70, '/sbin/dhclient', 'root'],
    ['udp', '10.0.0.5:50000', '8.8.8.8:53', D.DIRECTION_OUTBOUND, '', 80, '/usr/bin/dig', 'alice'],
  ];
}

function appendLine(table: string, line: string): void {
  const file = join(fake.procRoot, 'net', table);
  fake.write(`net/${table}`, `${readFileSync(file, 'utf8')}${line}\n`);
}

function replaceInTable(table: string, ...pairs: string[]): void {
  let text = readFileSync(join(fake.procRoot, 'net', table), 'utf8');
  for (let i = 0; i < pairs.length; i += 2) text = text.replace(pairs[i] as string, pairs[i + 1] as string);
  fake.write(`net/${table}`, text);
}
