/**
 * `vigie rollout simulate --hosts N --fault KIND --seed S [--json]`: one staged rollout of a
 * signature pack to a simulated fleet on a simulated clock (rollout/simulate). Progress on
 * stderr; `--json` prints one JSON line last on stdout.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { FAULT_KINDS, isFaultKind } from '../../rollout/simulate/faults.js';
import { runSimulation, SIMULATION_DEFAULTS } from '../../rollout/simulate/simulation.js';
import { markdownTable, runSweep } from '../../rollout/simulate/sweep.js';
import type { RolloutSubcommand } from '../commands/rollout.js';
import type { CommandContext } from '../command.js';

const USAGE = `usage: vigie rollout simulate [--hosts N] [--fault ${FAULT_KINDS.join('|')}] [--seed S] [--outage auto|always|never] [--bake-minutes M] [--horizon-hours H] [--json]
       vigie rollout simulate --sweep [--hosts N] [--seeds 20] [--none-runs 200] [--jobs 2] [--results RUNS.jsonl] [--json]   (every fault kind over many seeds: the table of docs/ROLLOUT.md)`;

async function sweep(ctx: CommandContext, hosts: number, seeds: number, noneRuns: number, jobs: number, json: boolean, resultsFile: string | undefined): Promise<number> {
  if (![seeds, noneRuns, jobs].every((x) => Number.isInteger(x) && x >= 1)) {
    ctx.stderr(`vigie rollout simulate --sweep: --seeds, --none-runs and --jobs must be integers >= 1\n`);
    return 2;
  }
  const started = Date.now();
  const { summary, results } = await runSweep({
    hosts, seeds, noneRuns, jobs, cli: [process.execPath, process.argv[1]!],
    onRun: (done, total, r) => ctx.stderr(`[${done}/${total}] ${r.fault} seed ${r.seed}: ${r.blocked_in_validation ? 'blocked in validation' : r.final_state} (${((Date.now() - started) / 1000).toFixed(0)} s)\n`),
  });
  if (resultsFile) writeFileSync(resultsFile, results.map((r) => JSON.stringify(r)).join('\n') + '\n');
  ctx.stdout(`${markdownTable(summary)}\n`);
  if (json) ctx.stdout(`${JSON.stringify({ ok: summary.ok, rows: summary.rows, checks: summary.checks })}\n`);
  return summary.ok ? 0 : 1;
}

export const subcommand: RolloutSubcommand = {
  summary: 'run a staged rollout on a simulated fleet (real controller, real sensor updater, simulated clock)',
  async run(ctx: CommandContext, argv: string[]): Promise<number> {
    let values;
    try {
      ({ values } = parseArgs({
        args: argv,
        options: {
          hosts: { type: 'string', default: String(SIMULATION_DEFAULTS.hosts) }, fault: { type: 'string', default: 'none' }, seed: { type: 'string', default: '1' },
          outage: { type: 'string', default: SIMULATION_DEFAULTS.outage }, 'bake-minutes': { type: 'string' }, 'horizon-hours': { type: 'string', default: String(SIMULATION_DEFAULTS.horizonHours) },
          json: { type: 'boolean' }, help: { type: 'boolean' },
          sweep: { type: 'boolean' }, seeds: { type: 'string', default: '20' }, 'none-runs': { type: 'string', default: '200' }, jobs: { type: 'string', default: '2' }, results: { type: 'string' },
        },
      }));
    } catch (e) {
      ctx.stderr(`vigie rollout simulate: ${(e as Error).message}\n${USAGE}\n`);
      return 2;
    }
    if (values.help) {
      ctx.stdout(`${USAGE}\n`);
      return 0;
    }
    const hosts = Number(values.hosts);
    const seed = Number(values.seed);
    const horizon = Number(values['horizon-hours']);
    const bake = values['bake-minutes'] === undefined ? undefined : Number(values['bake-minutes']);
    const problems: string[] = [];
    if (!Number.isInteger(hosts) || hosts < 20 || hosts > 1_000_000) problems.push('--hosts must be an integer from 20 to 1000000');
    if (!Number.isInteger(seed)) problems.push('--seed must be an integer');
    if (!isFaultKind(values.fault!)) problems.push(`--fault must be one of ${FAULT_KINDS.join(', ')}`);
    if (!['auto', 'always', 'never'].includes(values.outage!)) problems.push('--outage must be auto, always or never');
    if (!(horizon > 0)) problems.push('--horizon-hours must be positive');
    if (bake !== undefined && !(bake >= 0)) problems.push('--bake-minutes must be >= 0');
    if (problems.length > 0) {
      ctx.stderr(`vigie rollout simulate: ${problems.join('; ')}\n${USAGE}\n`);
      return 2;
    }
    if (values.sweep) return sweep(ctx, hosts, Number(values.seeds), Number(values['none-runs']), Number(values.jobs), values.json === true, values.results);
    const perHour = 3_600_000 / SIMULATION_DEFAULTS.intervalMs;
    const started = Date.now();
    const result = await runSimulation({
      hosts, seed, fault: values.fault as (typeof FAULT_KINDS)[number], intervalMs: SIMULATION_DEFAULTS.intervalMs, horizonHours: horizon,
      outage: values.outage as 'auto' | 'always' | 'never', ...(bake === undefined ? {} : { bakeMinutes: bake }),
      onProgress: (p) => {
        // The loop never yields to timers, so progress is a line per simulated hour.
        if (p.interval > 0 && p.interval % perHour === 0) ctx.stderr(`${p.interval / perHour} h simulated (${((Date.now() - started) / 1000).toFixed(0)} s): rollout ${p.state}, ring ${p.ring}\n`);
      },
    });
    const wall = Date.now() - started;
    if (values.json) ctx.stdout(`${JSON.stringify({ ...result, wall_ms: wall })}\n`);
    else {
      ctx.stdout(`${result.fault} seed ${result.seed}, ${result.hosts} hosts: ${result.blocked_in_validation ? `blocked in validation (${result.validation_problems.join('; ')})` : `${result.final_state} at ring ${result.ring_reached} after ${result.intervals} intervals`}\n`);
      if (result.halted) ctx.stdout(`halted: exposure ${(result.exposure_at_halt * 100).toFixed(2)}% of the fleet, ${result.halt_after_intervals ?? '-'} intervals after the first crash report, rolled back in ${result.rollback_intervals ?? '-'} intervals\n  ${result.halt_reason}\n`);
    }
    return 0;
  },
};
