/**
 * Archive throughput, opt-in: `VIGIE_BENCH=1 npx vitest run test/engine/archive/throughput`.
 * (A benchmark, not a test: it belongs in bench/ once that folder has a runner for TypeScript.)
 *
 * Real TelemetryBatch frames of 500 events (about 64 KiB) encoded with the generated protobuf
 * code, fsync on, default group commit and level. Reports batches/s, events/s, MB/s, the
 * group-commit factor, append latency and how busy the main thread was.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { vigie } from '../../../proto/gen/vigie.js';
import { meta, openArchive, tempDir } from './helpers.js';

const EVENTS = 500;

function batch(seq: number): Uint8Array {
  const rnd = (n: number): number => Math.floor(Math.random() * n);
  const host = `ws-${rnd(6000)}.mairie-${rnd(40)}.local`;
  const events: vigie.v1.IEvent[] = [];
  for (let i = 0; i < EVENTS; i++) {
    const proc = { pid: 1000 + rnd(60000), startTimeMs: 1_760_000_000_000 + rnd(1e9) };
    const base = { timeMs: 1_760_000_000_000 + seq * 1000 + i, source: vigie.v1.Source.SOURCE_PROCFS, host };
    const k = rnd(10);
    if (k < 3) {
      events.push({ ...base, processStart: {
        process: proc, parent: { pid: 1 + rnd(5000), startTimeMs: 1_759_000_000_000 + rnd(1e9) },
        image: ['/usr/bin/bash', '/usr/bin/python3', '/usr/sbin/sshd', '/usr/bin/curl'][rnd(4)],
        commandLine: `cmd --id ${rnd(1e9).toString(36)} --path /home/u${rnd(500)}/work/${rnd(1e6)}`,
        cwd: `/home/u${rnd(500)}`, user: `u${rnd(500)}`, uid: 1000 + rnd(500), gid: 1000,
        parentImage: '/usr/bin/bash', parentCommandLine: '-bash',
      } });
    } else if (k < 5) {
      events.push({ ...base, processExit: { process: proc, image: '/usr/bin/curl', exitCode: rnd(3) } });
    } else if (k < 8) {
      events.push({ ...base, network: {
        process: proc, image: '/usr/bin/curl', direction: 1, protocol: 1,
        localAddress: `10.${rnd(255)}.${rnd(255)}.${rnd(255)}`, localPort: 30000 + rnd(30000),
        remoteAddress: `${rnd(223)}.${rnd(255)}.${rnd(255)}.${rnd(255)}`, remotePort: [443, 80, 53, 22][rnd(4)],
        state: 'ESTABLISHED', bytesSent: rnd(1e6), bytesReceived: rnd(1e7),
      } });
    } else {
      events.push({ ...base, dns: { process: proc, image: '/usr/lib/systemd/systemd-resolved',
        queryName: `h${rnd(1e6).toString(36)}.example-${rnd(100)}.fr`, queryType: 'A', answers: `${rnd(223)}.${rnd(255)}.1.${rnd(255)}` } });
    }
  }
  return vigie.v1.TelemetryBatch.encode({ sensorId: `sensor-${seq % 50}`, tenant: 'town-a', seq, events }).finish();
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

async function run(label: string, total: number, inFlight: number, paceMs: number): Promise<string> {
  const frames = Array.from({ length: 64 }, (_, i) => batch(i));
  const rawAvg = frames.reduce((n, f) => n + f.length, 0) / frames.length;
  const { dir, cleanup } = await tempDir();
  const a = await openArchive({ dir });
  const latencies: number[] = [];
  const loop = monitorEventLoopDelay({ resolution: 10 });
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let next = 0;
  let rawBytes = 0;
  loop.enable();
  await new Promise<void>((resolve, reject) => {
    let done = 0;
    const one = (): void => {
      const seq = next++;
      if (seq >= total) return;
      const f = frames[seq % frames.length]!;
      rawBytes += f.length;
      const start = performance.now();
      a.append(meta(`sensor-${seq % 50}`, seq, { events: EVENTS, firstUnackedSeq: Math.max(0, seq - 200) }), f).then(() => {
        latencies.push(performance.now() - start);
        if (++done === total) resolve();
        else if (paceMs === 0) one();
      }, reject);
    };
    if (paceMs === 0) for (let i = 0; i < inFlight; i++) one();
    else {
      const timer = setInterval(() => {
        for (let i = 0; i < inFlight; i++) one();
        if (next >= total) clearInterval(timer);
      }, paceMs);
    }
  });
  const secs = (performance.now() - t0) / 1000;
  loop.disable();
  const elu = performance.eventLoopUtilization(elu0);
  const cpu = process.cpuUsage(cpu0);
  const s = a.stats();
  await a.close();
  await cleanup();
  latencies.sort((x, y) => x - y);
  expect(s.records).toBe(total);
  return [
    `${label}: ${total} batches x ${(rawAvg / 1024).toFixed(1)} KiB raw, ${EVENTS} events each, fsync on`,
    `  ${(total / secs).toFixed(0)} batches/s, ${((total * EVENTS) / secs / 1000).toFixed(0)}k events/s, ` +
      `${(rawBytes / secs / 1e6).toFixed(1)} MB/s raw in, ${(s.bytes / secs / 1e6).toFixed(1)} MB/s written ` +
      `(ratio ${(rawBytes / s.bytes).toFixed(2)})`,
    `  ${s.flushes} flushes (${(total / s.flushes).toFixed(1)} records per fdatasync); append latency ` +
      `p50 ${pct(latencies, 0.5).toFixed(1)} ms, p99 ${pct(latencies, 0.99).toFixed(1)} ms`,
    `  main thread: event loop utilisation ${(elu.utilization * 100).toFixed(0)}%, ` +
      `loop delay p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms; process CPU ${((cpu.user + cpu.system) / 1e6 / secs * 100).toFixed(0)}% of one core`,
  ].join('\n');
}

describe.skipIf(!process.env['VIGIE_BENCH'])('Archive throughput (VIGIE_BENCH=1)', () => {
  it('saturated: 64 appends in flight', async () => {
    console.log(await run('saturated', 4000, 64, 0));
  }, 300_000);

  it('paced at the target: 600 batches/s (6 every 10 ms)', async () => {
    console.log(await run('paced 600/s', 3000, 6, 10));
  }, 300_000);
});
