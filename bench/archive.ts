/**
 * `npm run bench:archive`: throughput and latency of the raw-batch archive alone (no sockets, no
 * decoding), fsync on, default options. Prints one JSON line.
 *
 * - Frames: real TelemetryBatch frames of 500 events of a simulated fleet's busy office morning,
 *   encoded with the generated protobuf code before the clock starts (on a real fleet the
 *   endpoints do that). A fixed set of frames is appended in turn; the archive never looks
 *   inside a frame, so the seq written in a reused frame need not match its BatchMeta.
 * - saturated: `IN_FLIGHT` appends kept in flight, each replaced as soon as it resolves.
 * - paced: 600 batches/s (6 every 10 ms, caught up on the clock rather than by setInterval,
 *   which drifts under load), the target rate of one engine.
 * - reopen: how long open() of the saturated run's archive takes with its sidecars, then with
 *   the sidecars deleted (every segment scanned, the last one with body CRCs, as after a crash).
 * - codec: the archive's codec (brotli quality 0) and the one it replaced (deflateRaw level 1),
 *   synchronous on this thread over the same frames: cost per event and compressed/raw ratio
 *   (bodies only, without record headers).
 * Each run starts with `WARMUP` appends that are not counted (JIT, worker start-up).
 *
 * Knobs: VIGIE_BENCH_BATCHES (saturated run, default 10000), VIGIE_BENCH_PACED_BATCHES (3000),
 * VIGIE_BENCH_IN_FLIGHT (64), VIGIE_BENCH_DIR (where the temporary archives go; default the OS tmpdir).
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { brotliCompressSync, constants, deflateRawSync } from 'node:zlib';
import type { Event } from '../common/events.js';
import { Archive } from '../engine/archive/index.js';
import type { ArchiveStats, BatchMeta } from '../engine/archive/index.js';
import { vigie } from '../proto/gen/vigie.js';
import { createBehaviour, createFleet } from '../sensors/simulate/behaviour/index.js';

const BATCH = 500;
const HOSTS = 40;
const FRAMES_PER_HOST = 5;
const SATURATED = Number(process.env['VIGIE_BENCH_BATCHES'] ?? 10000);
const PACED = Number(process.env['VIGIE_BENCH_PACED_BATCHES'] ?? 3000);
const IN_FLIGHT = Number(process.env['VIGIE_BENCH_IN_FLIGHT'] ?? 64);
const PACE = { batches: 6, everyMs: 10 };
const WARMUP = 200;

interface Frame {
  sensorId: string;
  tenant: string;
  bytes: Uint8Array;
}

interface RunResult {
  batches: number;
  seconds: number;
  rawBytes: number;
  stats: ArchiveStats;
  /** Counters at the end of the warm-up, subtracted from `stats`. */
  base: ArchiveStats;
  latencies: number[];
  /** Main thread: event-loop utilisation and process CPU (all threads) over the timed part. */
  elu: number;
  cpuSeconds: number;
}

// 1. Frames, encoded before any clock starts.
const frames = buildFrames();
const rawAvg = frames.reduce((n, f) => n + f.bytes.length, 0) / frames.length;

// 2. Codecs, before the runs so that the workers do not compete for the CPU.
// The same call as the archive's workers make (engine/archive/compressor.ts).
const brotli = codec((f) => brotliCompressSync(f, {
  params: { [constants.BROTLI_PARAM_QUALITY]: 0, [constants.BROTLI_PARAM_SIZE_HINT]: f.length },
}));
const deflate = codec((f) => deflateRawSync(f, { level: 1 }));

// 3. Runs, each in its own temporary archive, always removed.
const root = await mkdtemp(join(process.env['VIGIE_BENCH_DIR'] ?? tmpdir(), 'vigie-bench-archive-'));
try {
  const saturatedDir = join(root, 'saturated');
  const sat = await run(saturatedDir, SATURATED, { inFlight: IN_FLIGHT });
  const reopen = await reopenTimes(saturatedDir);
  const paced = await run(join(root, 'paced'), PACED, { pace: PACE });

  const written = sat.stats.bytes - sat.base.bytes;
  const flushes = (r: RunResult): number => r.stats.flushes - r.base.flushes;
  process.stdout.write(JSON.stringify({
    batches_per_sec: Math.round(sat.batches / sat.seconds),
    events_per_sec: Math.round((sat.batches * BATCH) / sat.seconds),
    mb_per_sec_in: round1(sat.rawBytes / sat.seconds / 1e6),
    mb_per_sec_written: round1(written / sat.seconds / 1e6),
    compression_ratio: round2(sat.rawBytes / written),
    records_per_fdatasync: round1(sat.batches / flushes(sat)),
    p50_ms: round1(pct(sat.latencies, 0.5)),
    p99_ms: round1(pct(sat.latencies, 0.99)),
    main_thread_ms_per_batch: round2((sat.elu * sat.seconds * 1000) / sat.batches),
    cpu_cores: round2(sat.cpuSeconds / sat.seconds),
    paced_batches_per_sec: Math.round(paced.batches / paced.seconds),
    paced_records_per_fdatasync: round1(paced.batches / flushes(paced)),
    paced_p50_ms: round1(pct(paced.latencies, 0.5)),
    paced_p99_ms: round1(pct(paced.latencies, 0.99)),
    paced_event_loop_utilization: round2(paced.elu),
    paced_cpu_cores: round2(paced.cpuSeconds / paced.seconds),
    brotli_q0_us_per_event: round2(brotli.usPerEvent),
    brotli_q0_ratio: round3(brotli.ratio),
    deflate1_us_per_event: round2(deflate.usPerEvent),
    deflate1_ratio: round3(deflate.ratio),
    reopen_sidecars_ms: round1(reopen.sidecarsMs),
    reopen_scan_ms: round1(reopen.scanMs),
    archive_mb: round1(sat.stats.bytes / 1e6),
    segments: sat.stats.segments,
    frame_kib: round1(rawAvg / 1024),
    bytes_per_event: Math.round(rawAvg / BATCH),
    events_per_batch: BATCH,
    in_flight: IN_FLIGHT,
    batches: SATURATED,
    paced_batches: PACED,
  }) + '\n');
} finally {
  await rm(root, { recursive: true, force: true });
}

/** HOSTS x FRAMES_PER_HOST frames of BATCH events each, from a busy office morning. */
function buildFrames(): Frame[] {
  const startMs = Date.UTC(2025, 0, 6, 9, 0, 0);
  const hosts = createFleet({ hosts: HOSTS, seed: 11, startMs });
  const behaviour = createBehaviour({ fleet: hosts, rate: 20 });
  const out: Frame[] = [];
  for (const h of hosts) {
    const events: Event[] = [];
    for (let t = startMs; events.length < BATCH * FRAMES_PER_HOST; t += 15 * 60_000) events.push(...behaviour.generate(h, t, t + 15 * 60_000));
    for (let k = 0; k < FRAMES_PER_HOST; k++) {
      const bytes = vigie.v1.TelemetryBatch.encode({
        sensorId: h.sensorId, tenant: h.tenant, seq: k + 1, firstUnackedSeq: k + 1, createdMs: startMs,
        events: events.slice(k * BATCH, (k + 1) * BATCH),
      }).finish();
      out.push({ sensorId: h.sensorId, tenant: h.tenant, bytes });
    }
  }
  return out;
}

/** One-thread cost of a codec over every frame (best of 3 passes, after a warm-up pass). */
function codec(compress: (f: Uint8Array) => Uint8Array): { usPerEvent: number; ratio: number } {
  let best = Infinity;
  let out = 0;
  for (let pass = 0; pass < 4; pass++) {
    out = 0;
    const t0 = performance.now();
    for (const f of frames) out += compress(f.bytes).length;
    if (pass > 0) best = Math.min(best, performance.now() - t0);
  }
  return { usPerEvent: (best * 1000) / (frames.length * BATCH), ratio: out / (rawAvg * frames.length) };
}

async function openArchive(dir: string): Promise<Archive> {
  const r = await Archive.open({ dir });
  if (!r.ok) throw new Error(`archive open failed: ${r.error.code} ${r.error.message}`);
  return r.value;
}

/**
 * Appends WARMUP + `total` batches; only the last `total` are timed. Sensor i gets seqs 1, 2, ...
 * in append order, with an unacked window of 200, as a healthy sensor would send them.
 */
async function run(dir: string, total: number, mode: { inFlight: number } | { pace: typeof PACE }): Promise<RunResult> {
  const archive = await openArchive(dir);
  try {
    const seqs = new Map<string, number>();
    let next = 0;
    const append = (): Promise<unknown> => {
      const f = frames[next++ % frames.length]!;
      const seq = (seqs.get(f.sensorId) ?? 0) + 1;
      seqs.set(f.sensorId, seq);
      const meta: BatchMeta = {
        sensorId: f.sensorId, tenant: f.tenant, seq, firstUnackedSeq: Math.max(1, seq - 200), events: BATCH, receivedMs: Date.now(),
      };
      return archive.append(meta, f.bytes);
    };
    await Promise.all(Array.from({ length: WARMUP }, append));
    const base = archive.stats();

    const latencies: number[] = [];
    let rawBytes = 0;
    const elu0 = performance.eventLoopUtilization();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const end = WARMUP + total;
    await new Promise<void>((resolve, reject) => {
      let done = 0;
      const one = (): void => {
        if (next >= end) return;
        rawBytes += frames[next % frames.length]!.bytes.length;
        const start = performance.now();
        append().then(() => {
          latencies.push(performance.now() - start);
          if (++done === total) resolve();
          else if ('inFlight' in mode) one();
        }, reject);
      };
      if ('inFlight' in mode) {
        for (let i = 0; i < mode.inFlight; i++) one();
        return;
      }
      const { batches, everyMs } = mode.pace;
      const tick = (): void => {
        const due = Math.min(end, WARMUP + Math.floor((performance.now() - t0) / everyMs + 1) * batches);
        while (next < due) one();
        if (next < end) setTimeout(tick, 1);
      };
      tick();
    });
    const seconds = (performance.now() - t0) / 1000;
    const elu = performance.eventLoopUtilization(elu0).utilization;
    const cpu = process.cpuUsage(cpu0);
    latencies.sort((a, b) => a - b);
    const stats = archive.stats();
    if (stats.records !== WARMUP + total) throw new Error(`archived ${stats.records} records, expected ${WARMUP + total}`);
    return { batches: total, seconds, rawBytes, stats, base, latencies, elu, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
  } finally {
    await archive.close();
  }
}

/** How long open() takes (until it resolves) with sidecars, then with every sidecar removed. */
async function reopenTimes(dir: string): Promise<{ sidecarsMs: number; scanMs: number }> {
  const timedOpen = async (): Promise<{ ms: number; fromSidecar: number }> => {
    const t0 = performance.now();
    const archive = await openArchive(dir);
    const ms = performance.now() - t0;
    await archive.close();
    return { ms, fromSidecar: archive.recovery.fromSidecar };
  };
  const withSidecars = await timedOpen();
  for (const f of await readdir(dir)) if (f.endsWith('.vgx')) await rm(join(dir, f));
  const scanned = await timedOpen();
  if (scanned.fromSidecar !== 0) throw new Error(`${scanned.fromSidecar} segments read from a sidecar after the sidecars were deleted`);
  return { sidecarsMs: withSidecars.ms, scanMs: scanned.ms };
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
