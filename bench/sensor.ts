/**
 * `npm run bench:sensor`: the sensor agent's own cost on this host. The agent runs as a real child
 * process (`vigie sensor`, netlink or /proc polling as available) against an embedded engine in
 * this process. Measured from /proc: CPU at rest, CPU while this process launches 100 short
 * processes a second, and the agent's peak RSS. Prints one JSON line.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../common/log.js';
import { engineTarget } from '../cli/fleet-setup.js';
import { cpuSeconds, peakRssMb } from './proc-usage.js';

const REST_S = Number(process.env['VIGIE_BENCH_REST_S'] ?? 10);
const LOAD_S = Number(process.env['VIGIE_BENCH_LOAD_S'] ?? 10);
const LAUNCHES_PER_S = 100;
const cli = join(import.meta.dirname, '..', 'cli', 'main.js');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const varDir = mkdtempSync(join(tmpdir(), 'vigie-bench-sensor-'));
const log = createLogger({ level: 'error' });
const target = await engineTarget(varDir, 'tcp://127.0.0.1:0', true, log);
const engine = target.embedded!;
const agent = spawn(process.execPath, [cli, 'sensor', '--var', varDir, '--endpoint', target.endpoint, '--no-status'], { stdio: ['ignore', 'pipe', 'inherit'] });
let banner = '';
agent.stdout.on('data', (d: Buffer) => { banner += d.toString(); });
try {
  while (!banner.includes('\n')) await sleep(50);
  await sleep(3000); // start-up: initial /proc scan and the first socket-table pass
  const pid = agent.pid!;

  const rest0 = cpuSeconds(pid);
  await sleep(REST_S * 1000);
  const restCpu = (100 * (cpuSeconds(pid) - rest0)) / REST_S;

  const storedBefore = engine.status().ingest.storedEvents;
  const load0 = cpuSeconds(pid);
  const t0 = Date.now();
  let launched = 0;
  while (Date.now() - t0 < LOAD_S * 1000) {
    const due = Math.floor(((Date.now() - t0) / 1000) * LAUNCHES_PER_S);
    while (launched < due) {
      spawn('/bin/true', [`vigie-bench-${launched}`], { stdio: 'ignore' });
      launched++;
    }
    await sleep(5);
  }
  const loadCpu = (100 * (cpuSeconds(pid) - load0)) / ((Date.now() - t0) / 1000);
  await sleep(2500); // let the last frame reach the engine
  const seen = engine.status().ingest.storedEvents - storedBefore;
  const result = {
    rest_cpu_percent: round(restCpu),
    load_cpu_percent: round(loadCpu),
    max_rss_mb: round(peakRssMb(pid)),
    launches: launched,
    events_stored_during_load: seen,
    collector: banner.trim(),
  };
  process.stdout.write(JSON.stringify(result) + '\n');
} finally {
  agent.kill('SIGTERM');
  await new Promise((r) => agent.once('exit', r));
  await engine.stop();
  rmSync(varDir, { recursive: true, force: true });
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
