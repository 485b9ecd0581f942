/**
 * The table of docs/ROLLOUT.md: every fault kind over many seeds, each run a separate
 * `vigie rollout simulate --json` process (runs are independent; `jobs` of them at a time), and
 * the targets checked on the results.
 */
import { spawn } from 'node:child_process';
import { CRASH_FAULTS, FAULT_KINDS, type FaultKind } from './faults.js';
import type { SimulationResult } from './simulation.js';

export interface SweepOptions {
  hosts: number;
  /** Seeds per fault kind (1..seeds). */
  seeds: number;
  /** Runs of `none` (seeds 1..noneRuns). */
  noneRuns: number;
  jobs: number;
  /** argv prefix that runs the CLI: [node, main.js]. */
  cli: string[];
  onRun?: (done: number, total: number, r: SimulationResult) => void;
}

export interface FaultRow {
  fault: FaultKind;
  runs: number;
  halted: number;
  completed: number;
  blocked: number;
  exposure_p95: number;
  exposure_max: number;
  halt_after_max: number | null;
  rollback_max: number | null;
  with_outage: number;
  holds: number;
}

export interface SweepSummary {
  rows: FaultRow[];
  checks: { name: string; ok: boolean; detail: string }[];
  ok: boolean;
}

export async function runSweep(o: SweepOptions): Promise<{ summary: SweepSummary; results: SimulationResult[] }> {
  const runs: { fault: FaultKind; seed: number }[] = [];
  for (const fault of FAULT_KINDS) {
    const n = fault === 'none' ? o.noneRuns : o.seeds;
    for (let seed = 1; seed <= n; seed++) runs.push({ fault, seed });
  }
  const results: SimulationResult[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < runs.length) {
      const run = runs[next++]!;
      const r = await runOne(o, run.fault, run.seed);
      results.push(r);
      o.onRun?.(results.length, runs.length, r);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, o.jobs) }, () => worker()));
  return { summary: summarize(results), results };
}

function runOne(o: SweepOptions, fault: FaultKind, seed: number): Promise<SimulationResult> {
  const [cmd, ...args] = o.cli;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd!, [...args, 'rollout', 'simulate', '--hosts', String(o.hosts), '--fault', fault, '--seed', String(seed), '--json'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('{')) return reject(new Error(`simulate --fault ${fault} --seed ${seed} exited ${code}`));
      resolve(JSON.parse(last) as SimulationResult);
    });
  });
}

function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
}

const maxOrNull = (xs: (number | null)[]): number | null => {
  const v = xs.filter((x): x is number => x !== null);
  return v.length === 0 ? null : Math.max(...v);
};

export function summarize(results: readonly SimulationResult[]): SweepSummary {
  const rows: FaultRow[] = FAULT_KINDS.map((fault) => {
    const rs = results.filter((r) => r.fault === fault);
    const halted = rs.filter((r) => r.halted);
    return {
      fault, runs: rs.length, halted: halted.length, completed: rs.filter((r) => r.completed).length, blocked: rs.filter((r) => r.blocked_in_validation).length,
      exposure_p95: quantile(rs.map((r) => r.exposure_at_halt), 0.95), exposure_max: Math.max(0, ...rs.map((r) => r.exposure_at_halt)),
      halt_after_max: maxOrNull(halted.map((r) => r.halt_after_intervals)), rollback_max: maxOrNull(halted.map((r) => r.rollback_intervals)),
      with_outage: rs.filter((r) => r.outage !== null).length, holds: rs.reduce((s, r) => s + r.holds, 0),
    };
  }).filter((r) => r.runs > 0);
  const checks: SweepSummary['checks'] = [];
  for (const row of rows) {
    const rs = results.filter((r) => r.fault === row.fault);
    if (CRASH_FAULTS.includes(row.fault)) {
      checks.push({ name: `${row.fault}: halted every run`, ok: row.halted === row.runs, detail: `${row.halted}/${row.runs}` });
      checks.push({ name: `${row.fault}: exposure p95 <= 1%`, ok: row.exposure_p95 <= 0.01, detail: `${(row.exposure_p95 * 100).toFixed(2)}%` });
      checks.push({ name: `${row.fault}: exposure max <= 3%`, ok: row.exposure_max <= 0.03, detail: `${(row.exposure_max * 100).toFixed(2)}%` });
      checks.push({ name: `${row.fault}: halt within 3 intervals of the first crash report`, ok: rs.every((r) => r.halt_after_intervals !== null && r.halt_after_intervals <= 3), detail: `max ${row.halt_after_max}` });
    }
    if (row.fault === 'cpu-burn' || row.fault === 'fp-storm') checks.push({ name: `${row.fault}: halted every run`, ok: row.halted === row.runs, detail: `${row.halted}/${row.runs}` });
    if (row.fault === 'bad-signature' || row.fault === 'schema-mismatch') checks.push({ name: `${row.fault}: never leaves validation`, ok: row.blocked === row.runs, detail: `${row.blocked}/${row.runs}` });
    if (row.fault !== 'none' && row.fault !== 'bad-signature' && row.fault !== 'schema-mismatch') {
      checks.push({ name: `${row.fault}: affected online hosts back on last-known-good within 2 intervals of the halt`, ok: rs.every((r) => !r.halted || (r.rollback_intervals !== null && r.rollback_intervals <= 2)), detail: `max ${row.rollback_max}` });
    }
    if (row.fault === 'none') {
      checks.push({ name: 'none: zero halts', ok: row.halted === 0, detail: `${row.halted}/${row.runs}` });
      checks.push({ name: 'none: every run completes (never sticks)', ok: row.completed === row.runs, detail: `${row.completed}/${row.runs}, ${row.with_outage} with a site outage` });
    }
  }
  return { rows, checks, ok: checks.every((c) => c.ok) };
}

export function markdownTable(s: SweepSummary): string {
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  const lines = [
    '| fault | runs | halted | completed | blocked in validation | exposure p95 | exposure max | halt after first crash report (max intervals) | rollback (max intervals) | runs with a site outage |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...s.rows.map((r) => `| ${r.fault} | ${r.runs} | ${r.halted} | ${r.completed} | ${r.blocked} | ${pct(r.exposure_p95)} | ${pct(r.exposure_max)} | ${r.halt_after_max ?? '-'} | ${r.rollback_max ?? '-'} | ${r.with_outage} |`),
    '',
    ...s.checks.map((c) => `- ${c.ok ? 'met' : '**NOT met**'}: ${c.name} (${c.detail})`),
  ];
  return lines.join('\n');
}
