/**
 * `npm run bench:score`: anomaly scoring on the default models, all measured in one run, on the
 * main thread (the engine runs it on an analysis thread). Prints one JSON line:
 *
 * - `rows_per_sec`: end to end through the engine's score stage (feature extraction, micro-batches,
 *   one ONNX run per batch, thresholds, lineage, detections with explanations): feature rows
 *   (process starts and network windows) scored per second of the stage's time; `events_per_sec`
 *   is the same over the events those rows came from. Three passes, each by a fresh stage that
 *   has seen the warm-up hour; the pass with the median speed is reported.
 * - `score_rows_per_sec`: the scoring half alone (ScoreStage.scoreRows) on rows extracted
 *   beforehand: copying rows into the batch tensors, run(), thresholds, lineage, detections; by
 *   a stage that has scored the hour before (steady state: every host's lineage table exists).
 * - `raw_rows_per_sec`: bare onnxruntime (one InferenceSession per model, tensors built before the
 *   clock starts) on the same rows in batches of the same size, fetching the score output as
 *   the stage's per-batch run does (bench/README.md).
 * - `ratio`: score / raw. Both are timed in alternating rounds (VIGIE_BENCH_ROUNDS, default 9),
 *   each round VIGIE_BENCH_PASSES (default 5) passes over the timed hour's rows: one pass of
 *   either lasts 10-20 ms, short enough for one collection or one preemption to move a round's
 *   figure by half (single-pass rounds gave per-round ratios from 0.21 to 0.73 in one run). The
 *   figures are medians over the rounds and `ratio` is the median of the per-round ratios. Both
 *   read their rows from memory the same way: a pass over the same rows again finds them in the
 *   last-level cache (32 MiB here) for the stage and for bare onnxruntime alike. (onnxruntime-node runs a session
 *   on the main thread, in a setImmediate callback: inference and the stage's JavaScript add up.)
 * - `p99_added_latency_ms`: the latency micro-batching adds to a row (arrival in the batcher to
 *   scores), 99th percentile, with events arriving at `VIGIE_BENCH_RATE` events/s (default
 *   50,000: a busy engine) rather than as fast as possible, which would measure queueing instead.
 *
 * Before each timed phase the bench collects its own garbage (a full GC, then 100 ms for the
 * collector's background sweeping, which otherwise competes with the phase for the two cores):
 * building the batches and the prepared rows leaves hundreds of megabytes of young objects, whose
 * scavenges (5-10 ms each) would otherwise land in a phase that lasts tens of milliseconds. What
 * the stage itself allocates while timed is collected in the timing as usual.
 *
 * Data: the simulated fleet (`VIGIE_BENCH_HOSTS`, default 200 hosts) on a Monday, 09:00-10:00 as
 * warm-up (rarity counters learn, JIT; not timed), 10:00-11:00 timed, in per-host batches of 500
 * events, all decoded before any clock starts (bench/README.md "bench:score details"). The
 * default models must exist (`npm run models:build`). Knobs: VIGIE_BENCH_HOSTS, VIGIE_BENCH_RATE,
 * VIGIE_BENCH_ONLY=score | e2e | extract (one phase alone; extract prints `extract_events_per_sec`,
 * `extract_rows_per_sec`, `extract_cpu_ms`, medians of ROUNDS passes by an extractor that has
 * seen the warm hour), VIGIE_BENCH_CPU_PROF=DIR (CPU profiles of the timed passes).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { silentLogger } from '../common/log.js';
import type { Event } from '../common/events.js';
import { EnrichStage } from '../engine/enrich/enrich.js';
import type { Detection } from '../engine/detect/detection.js';
import type { IngestedBatch } from '../engine/pipeline/stage.js';
import { ScoreStage } from '../engine/score/score-stage.js';
import { FeatureBatch, FeatureExtractor } from '../models/features/index.js';
import { SCORE_NAME } from '../models/onnx/contract.js';
import { vigie } from '../proto/gen/vigie.js';
import { createBehaviour, createFleet, DEFAULT_FLEET_START_MS, HOUR_MS } from '../sensors/simulate/behaviour/index.js';

const HOSTS = Number(process.env['VIGIE_BENCH_HOSTS'] ?? 200);
const RATE = Number(process.env['VIGIE_BENCH_RATE'] ?? 50_000);
const BATCH_EVENTS = 500;
const MAX_ROWS = 4096;
const MAX_DELAY_MS = 5; // the engine's default scoreMaxDelayMs
const ROUNDS = Math.max(1, Number(process.env['VIGIE_BENCH_ROUNDS'] ?? 9));
const E2E_PASSES = 3;
/** Passes over the timed hour's rows per round of scoring alone and of bare onnxruntime (one lasts 10-20 ms). */
const PASSES = Math.max(1, Number(process.env['VIGIE_BENCH_PASSES'] ?? 5));
const SCORE_ONLY = [SCORE_NAME]; // what bare onnxruntime fetches: the stage's per-batch run fetches the score alone

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
/** A full collection, then a pause for the collector's background threads (sweeping) to finish. */
async function collectGarbage(): Promise<void> {
  gc();
  await new Promise((r) => setTimeout(r, 100));
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const modelPath = (kind: string) => join(root, 'models', 'default', `${kind}.onnx`);

function batchesOf(fromMs: number, toMs: number, firstSeq: number): IngestedBatch[] {
  const fleet = createFleet({ hosts: HOSTS, seed: 1 });
  const behaviour = createBehaviour({ fleet, rate: 1 });
  const out: IngestedBatch[] = [];
  let seq = firstSeq;
  for (const host of fleet) {
    const events = behaviour.generate(host, fromMs, toMs);
    for (let i = 0; i < events.length; i += BATCH_EVENTS) {
      // Encoded and decoded, as the engine's analysis thread receives a batch (decoded strings are
      // flat, the simulator's are built by concatenation: string keys and scans behave differently).
      const batch = vigie.v1.TelemetryBatch.decode(vigie.v1.TelemetryBatch.encode({ sensorId: host.sensorId, tenant: host.tenant, events: events.slice(i, i + BATCH_EVENTS) }).finish());
      out.push({ sensorId: host.sensorId, tenant: host.tenant, seq: seq++, receivedMs: 0, batch });
    }
  }
  return out;
}

async function newStage(detections: Detection[]): Promise<{ enrich: EnrichStage; score: ScoreStage }> {
  const enrich = new EnrichStage();
  const score = new ScoreStage(
    { processModel: modelPath('process'), networkModel: modelPath('network'), maxRows: MAX_ROWS, maxDelayMs: MAX_DELAY_MS, lineageDecay: -1 },
    enrich.table, { add: (d) => detections.push(...d) }, silentLogger,
  );
  await score.start();
  if (score.info()['process_model'] === 'none' || score.info()['network_model'] === 'none') {
    throw new Error(`bench/score: the default models did not load from ${join(root, 'models', 'default')} (run npm run models:build)`);
  }
  return { enrich, score };
}

/** A stage that has seen the warm-up hour (rarity counters learned, JIT warm), untimed. */
async function warmedStage(detections: Detection[], warm: readonly IngestedBatch[]): Promise<{ enrich: EnrichStage; score: ScoreStage }> {
  const stage = await newStage(detections);
  for (const b of warm) {
    stage.enrich.process([b]);
    await stage.score.process([b]);
  }
  await stage.score.flush();
  return stage;
}

/**
 * VIGIE_BENCH_CPU_PROF=DIR: CPU profiles of the timed hour of the end-to-end phase and of the
 * scoring-alone phase only, written to DIR/score-{e2e,alone}-N.cpuprofile; batch building and the
 * untimed passes stay out of them.
 */
async function startProfiler(phase: string): Promise<{ stop(): Promise<void> } | undefined> {
  const dir = process.env['VIGIE_BENCH_CPU_PROF'];
  if (!dir) return undefined;
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) => new Promise<unknown>((ok, fail) => session.post(method, params ?? {}, (err, res) => (err ? fail(err) : ok(res))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 100 });
  await post('Profiler.start');
  return {
    async stop() {
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `score-${phase}-${profiles++}.cpuprofile`), JSON.stringify(profile));
      session.disconnect();
    },
  };
}
let profiles = 0;

const sum = (xs: readonly IngestedBatch[]) => xs.reduce((n, b) => n + b.batch.events.length, 0);

async function endToEnd(warm: IngestedBatch[], timed: IngestedBatch[]) {
  const detections: Detection[] = [];
  const { enrich, score } = await warmedStage(detections, warm);
  const before = score.counters();
  const warmDetections = detections.length;
  await collectGarbage();
  const profiler = await startProfiler('e2e');
  let stageMs = 0;
  for (const b of timed) {
    enrich.process([b]); // the process table (ancestry for detections) is not part of the timing
    const t = performance.now();
    await score.process([b]);
    stageMs += performance.now() - t;
  }
  const t = performance.now();
  await score.flush();
  stageMs += performance.now() - t;
  await profiler?.stop();
  const after = score.counters();
  await score.close();
  const rows = after['process_rows']! + after['network_rows']! - before['process_rows']! - before['network_rows']!;
  return { rows, events: sum(timed), ms: stageMs, detections: detections.length - warmDetections, warmDetections, runs: after['process_runs']! + after['network_runs']! - before['process_runs']! - before['network_runs']! };
}

interface Prepared { b: IngestedBatch; out: FeatureBatch }
interface PreparedHours { warm: Prepared[]; timed: Prepared[] }

/** The rows of both hours, extracted beforehand by one extractor in stream order, batch by batch. */
function prepare(warm: IngestedBatch[], timed: IngestedBatch[]): PreparedHours {
  const x = new FeatureExtractor();
  const rows = (batches: IngestedBatch[]) => batches.map((b) => {
    const out = new FeatureBatch(64);
    x.extract(b.tenant, b.sensorId, b.batch.events as Event[], out);
    return { b, out };
  });
  const w = rows(warm);
  return { warm: w, timed: rows(timed) };
}

const scoreAll = async (score: ScoreStage, rows: readonly Prepared[]) => {
  for (const p of rows) await score.scoreRows(p.b.sensorId, p.b.tenant, p.b.seq, p.b.batch.events as Event[], p.out);
  await score.flush();
};

/**
 * Scoring alone on the timed hour's rows, by a stage that has scored the warm hour's (every
 * host's lineage table in place, as in an engine that has been running) and, after the
 * collector's pause, the warm hour's last tenth again (JIT and caches warm).
 */
async function scoringAlone(p: PreparedHours) {
  const detections: Detection[] = [];
  const { score } = await newStage(detections);
  await scoreAll(score, p.warm);
  await collectGarbage();
  await scoreAll(score, p.warm.slice(-Math.ceil(p.warm.length / 10)));
  const before = score.counters();
  const profiler = await startProfiler('alone');
  const t = performance.now();
  for (let i = 0; i < PASSES; i++) await scoreAll(score, p.timed);
  const ms = performance.now() - t;
  await profiler?.stop();
  const after = score.counters();
  await score.close();
  const rows = after['process_rows']! + after['network_rows']! - before['process_rows']! - before['network_rows']!;
  return { rows, ms };
}

/** The same rows, bare onnxruntime, batches of MAX_ROWS: sessions and tensors built before any clock. */
async function rawRunner(prepared: Prepared[]) {
  const kinds = await Promise.all((['process', 'network'] as const).map(async (kind) => {
    const session = await ort.InferenceSession.create(readFileSync(modelPath(kind)), { intraOpNumThreads: 1, graphOptimizationLevel: 'all' });
    const parts = prepared.map((p) => (kind === 'process' ? p.out.process : p.out.network));
    const width = parts[0]!.width;
    const all = new Float32Array(parts.reduce((n, r) => n + r.count, 0) * width);
    let at = 0;
    for (const r of parts) {
      all.set(r.values.subarray(0, r.count * width), at);
      at += r.count * width;
    }
    const n = all.length / width;
    const feeds: Record<string, ort.Tensor>[] = [];
    for (let r = 0; r < n; r += MAX_ROWS) {
      const k = Math.min(MAX_ROWS, n - r);
      feeds.push({ [session.inputNames[0]!]: new ort.Tensor('float32', all.subarray(r * width, (r + k) * width), [k, width]) });
    }
    for (const f of feeds.slice(0, 3)) await session.run(f, SCORE_ONLY); // warm-up
    return { session, feeds, n };
  }));
  return {
    /** One timed pass over every row. */
    async round() {
      await collectGarbage();
      let rows = 0;
      const t = performance.now();
      for (let i = 0; i < PASSES; i++) {
        for (const k of kinds) {
          for (const f of k.feeds) await k.session.run(f, SCORE_ONLY);
          rows += k.n;
        }
      }
      return { rows, ms: performance.now() - t };
    },
    async close() {
      for (const k of kinds) await k.session.release();
    },
  };
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Scoring alone and bare onnxruntime in alternating rounds (each pass lasts only tens of
 * milliseconds, so one pass of each would measure whatever else the machine did at that moment):
 * the medians of both, and the median of the per-round ratios.
 */
async function scoringVersusRaw(prepared: PreparedHours) {
  const bare = await rawRunner(prepared.timed);
  const score: number[] = [];
  const raw: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const a = await scoringAlone(prepared);
    const b = await bare.round();
    const sp = a.rows / (a.ms / 1000);
    const rp = b.rows / (b.ms / 1000);
    score.push(sp);
    raw.push(rp);
    ratios.push(sp / rp);
  }
  await bare.close();
  return { score: median(score), raw: median(raw), ratio: median(ratios) };
}

/** Events arrive at RATE events/s (per-batch pacing); the stage's own latency window measures. */
async function latency(warm: IngestedBatch[], timed: IngestedBatch[]) {
  const detections: Detection[] = [];
  const { enrich, score } = await warmedStage(detections, warm);
  score.resetLatency();
  await collectGarbage();
  const start = performance.now();
  let sent = 0;
  // Two seconds' worth of events, paced.
  for (const b of timed.slice(0, Math.ceil((2 * RATE) / BATCH_EVENTS))) {
    const due = start + (sent / RATE) * 1000;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    enrich.process([b]);
    await score.process([b]);
    sent += b.batch.events.length;
  }
  await score.flush();
  const c = score.counters();
  await score.close();
  return Math.max(c['process_added_latency_p99_ms']!, c['network_added_latency_p99_ms']!);
}

/** Feature extraction alone: a fresh extractor learns the warm hour, then the timed hour is timed (wall and CPU). */
async function extractionAlone(warm: readonly IngestedBatch[], timed: readonly IngestedBatch[]) {
  const x = new FeatureExtractor();
  const out = new FeatureBatch(64);
  const run = (batches: readonly IngestedBatch[]) => {
    let rows = 0;
    for (const b of batches) {
      out.clear();
      x.extract(b.tenant, b.sensorId, b.batch.events as Event[], out);
      rows += out.process.count + out.network.count;
    }
    return rows;
  };
  run(warm);
  await collectGarbage();
  const profiler = await startProfiler('extract');
  const cpu = process.cpuUsage();
  const t = performance.now();
  const rows = run(timed);
  const ms = performance.now() - t;
  const used = process.cpuUsage(cpu);
  await profiler?.stop();
  return { rows, events: sum(timed), ms, cpuMs: (used.user + used.system) / 1000 };
}

async function main(): Promise<number> {
  const t0 = DEFAULT_FLEET_START_MS + 9 * HOUR_MS;
  const warm = batchesOf(t0, t0 + HOUR_MS, 1);
  const timed = batchesOf(t0 + HOUR_MS, t0 + 2 * HOUR_MS, 1_000_000);
  if (process.env['VIGIE_BENCH_ONLY'] === 'extract') {
    const runs = [];
    for (let i = 0; i < ROUNDS; i++) runs.push(await extractionAlone(warm, timed));
    process.stdout.write(`${JSON.stringify({
      extract_events_per_sec: Math.round(median(runs.map((r) => r.events / (r.ms / 1000)))),
      extract_rows_per_sec: Math.round(median(runs.map((r) => r.rows / (r.ms / 1000)))),
      extract_cpu_ms: Math.round(median(runs.map((r) => r.cpuMs))),
      events: runs[0]!.events,
      rows: runs[0]!.rows,
      rounds: ROUNDS,
    })}\n`);
    return 0;
  }
  // Latency first, while the process holds only the batches: the later phases keep extracted rows
  // alive, and the garbage collector's pauses on that heap are the bench's, not the engine's.
  const p99 = await latency(warm, timed);
  const prepared = prepare(warm, timed);
  if (process.env['VIGIE_BENCH_ONLY'] === 'score') {
    // For profiling the scoring half alone (node --cpu-prof): ROUNDS rounds, prints their median.
    const perSec: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const only = await scoringAlone(prepared);
      perSec.push(only.rows / (only.ms / 1000));
    }
    process.stdout.write(`${JSON.stringify({ score_rows_per_sec: Math.round(median(perSec)) })}\n`);
    return 0;
  }
  if (process.env['VIGIE_BENCH_ONLY'] === 'e2e') {
    // For profiling extraction and scoring together: ROUNDS end-to-end passes, their median.
    const perSec: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const e = await endToEnd(warm, timed);
      perSec.push(e.rows / (e.ms / 1000));
    }
    process.stdout.write(`${JSON.stringify({ rows_per_sec: Math.round(median(perSec)) })}\n`);
    return 0;
  }
  // End to end lasts about half a second per pass: the pass with the median speed of three.
  const passes = [];
  for (let i = 0; i < E2E_PASSES; i++) passes.push(await endToEnd(warm, timed));
  const e2e = passes.sort((a, b) => a.rows / a.ms - b.rows / b.ms)[Math.floor(E2E_PASSES / 2)]!;
  const vs = await scoringVersusRaw(prepared);
  process.stdout.write(`${JSON.stringify({
    rows_per_sec: Math.round(e2e.rows / (e2e.ms / 1000)),
    score_rows_per_sec: Math.round(vs.score),
    raw_rows_per_sec: Math.round(vs.raw),
    ratio: Math.round(vs.ratio * 100) / 100,
    p99_added_latency_ms: Math.round(p99 * 100) / 100,
    events_per_sec: Math.round(e2e.events / (e2e.ms / 1000)),
    rows: e2e.rows,
    events: e2e.events,
    runs: e2e.runs,
    rows_per_run: Math.round(e2e.rows / Math.max(1, e2e.runs)),
    detections: e2e.detections,
    warmup_detections: e2e.warmDetections,
    hosts: HOSTS,
    latency_rate_events_per_sec: RATE,
    max_rows: MAX_ROWS,
    max_delay_ms: MAX_DELAY_MS,
    rounds: ROUNDS,
  })}\n`);
  return 0;
}

process.exitCode = await main();
