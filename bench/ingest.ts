/**
 * `npm run bench:ingest`: end-to-end ingest throughput against a ceiling measured in the same run.
 *
 * - ceiling: the same frames (pre-encoded batches of simulated-fleet events) sent by bare DEALER
 *   sockets to a bare ROUTER in a child process that only decodes (same CURVE encryption).
 * - end to end: the real sensor agents of a simulated fleet (frame, spool, deliver, handle acks)
 *   in this process, the real engine (`vigie engine`: ZAP, header check, archive with fdatasync,
 *   ack, decode, enrich) in a child process; timed from the first frame handed to the agents
 *   until the last ack.
 * In both runs the events are protobuf-encoded before the clock starts: on a real fleet that is
 * done by thousands of endpoints on their own CPUs, not on the engine's host. What is measured is
 * the ingest path, from the sensors' spools to the engine's archive and back.
 * - lost_events: events handed to the agents minus events found in the archive afterwards.
 * - analysis: ingest never waits for analysis (engine/analysis/analysis-feed.ts): a batch is acked
 *   once archived, and analysis (decode, enrich, signature hits, both models) follows, from the
 *   archive when it is behind. After the last ack the bench keeps the engine running until
 *   analysis has caught up (polling its status with SIGUSR2) and reports
 *   `analysis_events_per_sec` (events analysed per second, from the clock's start to the moment
 *   analysis had them all), `analysis_lag_at_last_ack_mb` (archive bytes it still had to read
 *   when the last ack came) and `analysis_catchup_seconds` (from the last ack to caught up).
 *   VIGIE_BENCH_SKIP_ANALYSIS=1 skips the wait.
 * Prints one JSON line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zmq from 'zeromq';
import { generateCurveKeyPair } from '../common/curve.js';
import { parseConfig } from '../common/config/schema.js';
import { unwrap } from '../common/errors.js';
import type { Event } from '../common/events.js';
import { loadOrCreateEngineKey, varPaths } from '../common/identity.js';
import { silentLogger } from '../common/log.js';
import { batchFrames, encodeBatch, encodeEvents } from '../common/wire/frames.js';
import { summarizeArchive } from '../engine/archive-summary.js';
import { SqliteStore } from '../engine/store/index.js';
import { sensorConfigSchema } from '../sensors/agent/config.js';
import { enrollFleet, VirtualFleet } from '../sensors/fleet/virtual-fleet.js';
import { createBehaviour, createFleet } from '../sensors/simulate/behaviour/index.js';
import { childLine, stopChild } from './child.js';
import { threadCpu } from './proc-usage.js';

const HOSTS = Number(process.env['VIGIE_BENCH_HOSTS'] ?? 100);
const TARGET_EVENTS = Number(process.env['VIGIE_BENCH_EVENTS'] ?? 1_000_000);
const BATCH = Number(process.env["VIGIE_BENCH_BATCH"] ?? 500);
/** Frames per host sent before the clock starts (JIT warm-up), in both runs. */
const WARMUP_FRAMES = 2;
const cli = join(import.meta.dirname, '..', 'cli', 'main.js');
// Extra node flags for the child processes, e.g. VIGIE_BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof'.
const nodeArgs = (process.env['VIGIE_BENCH_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// 1. Events: a busy office morning of a simulated fleet, scaled to the target volume.
const startMs = Date.UTC(2025, 0, 6, 9, 0, 0);
const hosts = createFleet({ hosts: HOSTS, seed: 11, startMs });
const behaviour = createBehaviour({ fleet: hosts, rate: 20 });
const perHost: Uint8Array[][] = []; // encoded events, one frame's worth each
let total = 0;
for (const h of hosts) {
  const events: Event[] = [];
  for (let t = startMs; events.length < TARGET_EVENTS / HOSTS; t += 15 * 60_000) events.push(...behaviour.generate(h, t, t + 15 * 60_000));
  events.length = Math.floor(TARGET_EVENTS / HOSTS);
  const frames: Uint8Array[] = [];
  for (let k = 0; k < events.length; k += BATCH) frames.push(encodeEvents(events.slice(k, k + BATCH)));
  perHost.push(frames);
  total += events.length;
}

// 2. Ceiling: the same frames through bare ZeroMQ + decode.
const ceiling = process.env["VIGIE_BENCH_SKIP_CEILING"] ? 1 : await runCeiling(perHost, total);

// 3. End to end through the sensor agents and the engine.
const e2e = await runEndToEnd(perHost, total);

process.stdout.write(JSON.stringify({
  events_per_sec: Math.round(e2e.eventsPerSec),
  ceiling_events_per_sec: Math.round(ceiling),
  ratio: Math.round((e2e.eventsPerSec / ceiling) * 1000) / 1000,
  lost_events: e2e.lost,
  events: total,
  hosts: HOSTS,
  batch_events: BATCH,
  resent_frames: e2e.resent,
  seconds: Math.round(e2e.seconds * 100) / 100,
  ...(e2e.analysis ? {
    analysis_events_per_sec: Math.round(e2e.analysis.eventsPerSec),
    analysis_lag_at_last_ack_mb: Math.round(e2e.analysis.lagMb * 10) / 10,
    analysis_catchup_seconds: Math.round(e2e.analysis.catchupSeconds * 100) / 100,
  } : {}),
}) + '\n');

function eventsIn(frameIndex: number, hostEvents: number): number {
  return Math.min(BATCH, hostEvents - frameIndex * BATCH);
}

async function runCeiling(perHost: Uint8Array[][], total: number): Promise<number> {
  const keys = generateCurveKeyPair();
  const child = spawn(process.execPath, [...nodeArgs, join(import.meta.dirname, 'ceiling-receiver.js'), keys.secretKey, String(total), String(WARMUP_FRAMES * BATCH * HOSTS)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = JSON.parse(await childLine(child, 'ready')) as { address: string };
  const frames = perHost.map((bodies, i) => bodies.map((body, k) => {
    const head = encodeBatch({ sensorId: `ceiling-${i}`, tenant: 't', seq: k + 1, firstUnackedSeq: k + 1, createdMs: Date.now() });
    return Buffer.concat([head, body]);
  }));
  const context = new zmq.Context({ blocky: false });
  const dealers = frames.map((_, i) => {
    const client = generateCurveKeyPair();
    const d = new zmq.Dealer({ context, routingId: `ceiling-${i}`, curveServerKey: keys.publicKey, curvePublicKey: client.publicKey, curveSecretKey: client.secretKey, linger: 1000 });
    d.connect(ready.address);
    return d;
  });
  await sleep(500); // handshakes
  const done = childLine(child, 'done');
  await Promise.all(dealers.map(async (d, i) => { for (const f of frames[i]!) await d.send(batchFrames(f)); }));
  const result = JSON.parse(await done) as { events: number; timed: number; seconds: number };
  for (const d of dealers) d.close();
  await stopChild(child);
  if (result.events !== total) throw new Error(`ceiling receiver decoded ${result.events} of ${total} events`);
  return result.timed / result.seconds;
}

interface AnalysisRun { eventsPerSec: number; lagMb: number; catchupSeconds: number }

interface EngineStatusLine {
  analysis: { behind: number; lag_bytes: number };
  stages: { runner?: { queued?: number; decoded_events?: number } };
}

/** The engine child's status, asked for with SIGUSR2. */
async function engineStatus(engine: ChildProcess): Promise<EngineStatusLine> {
  const line = childLine(engine, 'engine status', 10_000);
  engine.kill('SIGUSR2');
  return JSON.parse(await line) as EngineStatusLine;
}

/**
 * After the last ack: waits until analysis has read everything archived and the analysis threads
 * hold nothing (polling every 50 ms), then reports its pace from t0.
 */
async function awaitAnalysis(engine: ChildProcess, t0: bigint, ackedAt: bigint, timed: number): Promise<AnalysisRun> {
  engine.setMaxListeners(0);
  const first = await engineStatus(engine);
  for (let s = first; s.analysis.behind || (s.stages.runner?.queued ?? 0) > 0; s = await engineStatus(engine)) await sleep(50);
  const done = process.hrtime.bigint();
  return {
    eventsPerSec: timed / (Number(done - t0) / 1e9),
    lagMb: first.analysis.lag_bytes / 1e6,
    catchupSeconds: Number(done - ackedAt) / 1e9,
  };
}

async function runEndToEnd(perHost: Uint8Array[][], total: number): Promise<{ eventsPerSec: number; lost: number; resent: number; seconds: number; analysis: AnalysisRun | undefined }> {
  const varDir = mkdtempSync(join(tmpdir(), 'vigie-bench-ingest-'));
  try {
    const key = unwrap(loadOrCreateEngineKey(varPaths(varDir).engineKey));
    const engine = spawn(process.execPath, [...nodeArgs, cli, 'engine', '--var', varDir, '--endpoint', 'tcp://127.0.0.1:0', '--no-status', ...(process.env['VIGIE_BENCH_ENGINE_CONFIG'] ? ['--config', process.env['VIGIE_BENCH_ENGINE_CONFIG']] : [])], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, VIGIE_LOG_LEVEL: 'error' } });
    const ready = JSON.parse(await childLine(engine, 'engine ready')) as { address: string };
    if (process.env['VIGIE_BENCH_ENGINE_STDOUT']) engine.stdout!.pipe(createWriteStream(process.env['VIGIE_BENCH_ENGINE_STDOUT']));
    const config = unwrap(parseConfig(sensorConfigSchema, { batchMaxEvents: BATCH, batchMaxMs: 50, maxInFlight: 16, heartbeatMs: 1000 }, 'bench'));
    const fleet = new VirtualFleet({
      varDir, hosts: hosts.map((h) => ({ sensorId: h.sensorId, host: h.name, tenant: h.tenant })),
      engineEndpoint: ready.address, enginePublicKey: key.publicKey, config, keySeed: 'bench', log: silentLogger,
    });
    const store = unwrap(SqliteStore.open(varPaths(varDir).store));
    enrollFleet(store, fleet.identities);
    store.close();
    await fleet.start();
    await sleep(500); // handshakes, as in the ceiling run
    const hostEvents = total / HOSTS;
    for (let k = 0; k < WARMUP_FRAMES; k++) for (const [i, a] of fleet.agents.entries()) a.ingestEncoded(perHost[i]![k]!, eventsIn(k, hostEvents));
    while (fleet.totals().unackedBatches > 0) await sleep(2);
    const before = process.env['VIGIE_BENCH_THREADS'] ? [threadCpu(engine.pid!), threadCpu(process.pid)] : [];
    const t0 = process.hrtime.bigint();
    // Hand events over one frame's worth per host per turn, so sends and acks interleave.
    for (let k = WARMUP_FRAMES; k < perHost[0]!.length; k++) {
      for (const [i, a] of fleet.agents.entries()) a.ingestEncoded(perHost[i]![k]!, eventsIn(k, hostEvents));
      await new Promise((r) => setImmediate(r));
    }
    fleet.flush();
    while (fleet.totals().unackedBatches > 0) await sleep(2);
    const ackedAt = process.hrtime.bigint();
    const seconds = Number(ackedAt - t0) / 1e9;
    const timed = total - WARMUP_FRAMES * BATCH * HOSTS;
    const analysis = process.env['VIGIE_BENCH_SKIP_ANALYSIS'] ? undefined : await awaitAnalysis(engine, t0, ackedAt, timed);
    const resent = fleet.agents.reduce((n, a) => n + a.delivery.counters.resent, 0);
    if (process.env['VIGIE_BENCH_THREADS']) {
      const delta = (a: Record<string, number>, b: Record<string, number>) => Object.fromEntries(Object.entries(a).map(([k, v]) => [k, Math.round((v - (b[k] ?? 0)) * 100) / 100]));
      process.stderr.write(`engine threads (cpu s): ${JSON.stringify(delta(threadCpu(engine.pid!), before[0]!))}\nbench threads (cpu s): ${JSON.stringify(delta(threadCpu(process.pid), before[1]!))}\n`);
    }
    await fleet.stop();
    const final = childLine(engine, 'engine stopped').catch(() => '{}');
    await stopChild(engine);
    if (process.env['VIGIE_BENCH_THREADS']) process.stderr.write(`engine status: ${await final}\n`);
    const archived = await summarizeArchive(varPaths(varDir).archive, { decode: false });
    return { eventsPerSec: timed / seconds, lost: total - archived.events, resent, seconds, analysis };
  } finally {
    rmSync(varDir, { recursive: true, force: true });
  }
}
