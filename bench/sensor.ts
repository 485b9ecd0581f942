/**
 * `npm run bench:sensor`: the sensor agent's own cost on this host. The agent runs as a real child
 * process (`vigie sensor`, netlink or /proc polling as available) against an embedded engine in
 * this process. Measured from /proc: CPU at rest, CPU while this process launches 100 short
 * processes a second, and the agent's peak RSS. Prints one JSON line.
 *
 * A cheap agent that misses events is not cheap, so the run also proves what was collected: each
 * launch carries a marker in its command line, and once the engine is stopped its archive is read
 * back and the marked ProcessStart events (and the exits of those processes) are counted.
 *
 * Both figures are steady states. The agent's first seconds (JIT warm-up, first heartbeat) and the
 * first seconds of the load (the exec path compiled by the JIT: about a sixth of the agent's CPU
 * samples in a 10 s window) cost more: they are measured apart and reported, as
 * `startup_cpu_percent` and `load_warmup_cpu_percent`, not hidden.
 *
 * Environment: VIGIE_BENCH_SETTLE_S (start-up window), VIGIE_BENCH_REST_S, VIGIE_BENCH_LOAD_WARMUP_S,
 * VIGIE_BENCH_LOAD_S (10 s each); VIGIE_BENCH_POLL=1 runs the agent with --poll;
 * VIGIE_BENCH_CPU_PROF=DIR passes --cpu-prof to the agent (profile written at exit);
 * VIGIE_BENCH_NODE_ARGS='...' passes other node flags to the agent (e.g. --trace-deopt);
 * VIGIE_BENCH_THREADS=1 prints the agent's CPU seconds per thread to stderr (whole run, and load phase).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { varPaths } from '../common/identity.js';
import { createLogger } from '../common/log.js';
import { decodeBatch } from '../common/wire/frames.js';
import { engineTarget } from '../cli/fleet-setup.js';
import { unwrap } from '../common/errors.js';
import { Archive } from '../engine/archive/index.js';
import { cpuSeconds, peakRssMb, threadCpu } from './proc-usage.js';

const SETTLE_S = Number(process.env['VIGIE_BENCH_SETTLE_S'] ?? 10);
const REST_S = Number(process.env['VIGIE_BENCH_REST_S'] ?? 10);
const LOAD_S = Number(process.env['VIGIE_BENCH_LOAD_S'] ?? 10);
const LOAD_WARMUP_S = Number(process.env['VIGIE_BENCH_LOAD_WARMUP_S'] ?? 10);
const POLL = process.env['VIGIE_BENCH_POLL'] === '1';
const CPU_PROF = process.env['VIGIE_BENCH_CPU_PROF'];
const LAUNCHES_PER_S = 100;
/** In every launch's command line; unique per run, so other processes on the host never match. */
const MARKER = `vigie-bench-${process.pid}-${Date.now().toString(36)}`;
const cli = join(import.meta.dirname, '..', 'cli', 'main.js');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const varDir = mkdtempSync(join(tmpdir(), 'vigie-bench-sensor-'));
const log = createLogger({ level: 'error' });
const target = await engineTarget(varDir, 'tcp://127.0.0.1:0', true, log);
const engine = target.embedded!;
const nodeArgs = [...(CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`] : []), ...(process.env['VIGIE_BENCH_NODE_ARGS'] ?? '').split(' ').filter(Boolean)];
const agentArgs = ['sensor', '--var', varDir, '--endpoint', target.endpoint, '--no-status', ...(POLL ? ['--poll'] : [])];
const agent = spawn(process.execPath, [...nodeArgs, cli, ...agentArgs], { stdio: ['ignore', 'pipe', 'inherit'] });
let banner = '';
agent.stdout.on('data', (d: Buffer) => { banner += d.toString(); });
let engineStopped = false;
try {
  while (!banner.includes('\n')) await sleep(50);
  const pid = agent.pid!;
  const startup0 = cpuSeconds(pid);
  await sleep(SETTLE_S * 1000);
  const startupCpu = (100 * (cpuSeconds(pid) - startup0)) / SETTLE_S;
  const stored = () => engine.status().ingest.storedEvents;

  const restEvents0 = stored();
  const rest0 = cpuSeconds(pid);
  await sleep(REST_S * 1000);
  const restCpu = (100 * (cpuSeconds(pid) - rest0)) / REST_S;
  const restEvents = stored() - restEvents0;

  // One launch stream: its first LOAD_WARMUP_S are the warm-up (the exec path JIT-compiled under
  // load), the next LOAD_S the measure.
  const t0 = Date.now();
  let launched = 0;
  const warm0 = cpuSeconds(pid);
  let load0 = -1;
  let tLoad = 0;
  let warmupCpu = 0;
  let threadsAtLoad: Record<string, number> = {};
  while (Date.now() - t0 < (LOAD_WARMUP_S + LOAD_S) * 1000) {
    const due = Math.floor(((Date.now() - t0) / 1000) * LAUNCHES_PER_S);
    while (launched < due) {
      spawn('/bin/true', [`${MARKER}-${launched}`], { stdio: 'ignore' });
      launched++;
    }
    if (load0 < 0 && Date.now() - t0 >= LOAD_WARMUP_S * 1000) {
      load0 = cpuSeconds(pid);
      if (process.env['VIGIE_BENCH_THREADS']) threadsAtLoad = threadCpu(pid);
      tLoad = Date.now();
      warmupCpu = LOAD_WARMUP_S > 0 ? (100 * (load0 - warm0)) / ((tLoad - t0) / 1000) : 0;
    }
    await sleep(5);
  }
  const loadCpu = (100 * (cpuSeconds(pid) - load0)) / ((Date.now() - tLoad) / 1000);
  const rssMb = peakRssMb(pid);
  if (process.env['VIGIE_BENCH_THREADS']) {
    const now = threadCpu(pid);
    const load = Object.fromEntries(Object.entries(now).map(([k, v]) => [k, Math.round((v - (threadsAtLoad[k] ?? 0)) * 100) / 100]));
    process.stderr.write(`agent threads (cpu s, whole run): ${JSON.stringify(now)}\nagent threads (cpu s, load phase): ${JSON.stringify(load)}\n`);
  }
  await settle(stored);

  // Stop the agent (its last frame is cut into the spool), then the engine, then read what it kept.
  await stopAgent();
  await engine.stop();
  engineStopped = true;
  const seen = await countMarked(varPaths(varDir).archive, MARKER);
  const result = {
    rest_cpu_percent: round(restCpu),
    load_cpu_percent: round(loadCpu),
    max_rss_mb: round(rssMb),
    startup_cpu_percent: round(startupCpu),
    load_warmup_cpu_percent: round(warmupCpu),
    launches: launched,
    launches_seen: seen.starts,
    launches_partial: seen.partial,
    launch_exits_seen: seen.exits,
    rest_events: restEvents,
    collector_mode: collectorMode(banner),
  };
  process.stdout.write(JSON.stringify(result) + '\n');
} finally {
  await stopAgent();
  if (!engineStopped) await engine.stop();
  rmSync(varDir, { recursive: true, force: true });
}

async function stopAgent(): Promise<void> {
  if (agent.exitCode !== null || agent.signalCode !== null) return;
  const exited = new Promise((r) => agent.once('exit', r));
  agent.kill('SIGTERM');
  await exited;
}

/** Waits until the engine has stored nothing new for 1.5 s (the agent cuts frames every second). */
async function settle(stored: () => number): Promise<void> {
  let last = stored();
  let quietSince = Date.now();
  const deadline = Date.now() + 30_000;
  while (Date.now() - quietSince < 1500 && Date.now() < deadline) {
    await sleep(250);
    const now = stored();
    if (now !== last) {
      last = now;
      quietSince = Date.now();
    }
  }
}

/**
 * In the engine's archive: ProcessStart events whose command line holds the marker (`starts`);
 * other ProcessStart events of this process's children (`partial`: reported, but read from /proc
 * too late for the command line: the process had exited); ProcessExit events of the marked
 * processes (same pid and start time).
 */
async function countMarked(archiveDir: string, marker: string): Promise<{ starts: number; partial: number; exits: number }> {
  const archive = unwrap(await Archive.open({ dir: archiveDir }));
  const started = new Set<string>();
  let partial = 0;
  const exited: string[] = [];
  try {
    for await (const { payload } of archive.records(() => undefined)) {
      const batch = decodeBatch(payload);
      if (!batch.ok) continue;
      for (const e of batch.value.events) {
        const s = e.processStart;
        if (s?.commandLine?.includes(marker) && s.process) started.add(`${s.process.pid}@${String(s.process.startTimeMs)}`);
        else if (s?.parent?.pid === process.pid) partial++;
        const x = e.processExit?.process;
        if (x) exited.push(`${x.pid}@${String(x.startTimeMs)}`);
      }
    }
  } finally {
    await archive.close();
  }
  return { starts: started.size, partial, exits: exited.filter((k) => started.has(k)).length };
}

/** "process collector: netlink, network collector: procfs-poll" -> "process:netlink,network:procfs-poll". */
function collectorMode(text: string): string {
  return [...text.matchAll(/(\w+) collector: ([\w-]+)/g)].map((m) => `${m[1]}:${m[2]}`).join(',') || 'unknown';
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
