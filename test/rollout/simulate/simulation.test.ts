import { describe, expect, it } from 'vitest';
import { runSimulation, SIMULATION_DEFAULTS, type SimulationResult } from '../../../rollout/simulate/simulation.js';
import { markdownTable, summarize } from '../../../rollout/simulate/sweep.js';
import type { FaultKind } from '../../../rollout/simulate/faults.js';

const run = (fault: FaultKind, seed: number, outage: 'always' | 'never' = 'never') =>
  runSimulation({ hosts: 2000, fault, seed, intervalMs: SIMULATION_DEFAULTS.intervalMs, horizonHours: 24, outage });

describe('vigie rollout simulate (2,000 hosts)', () => {
  it('a good update with a site outage completes without a halt', async () => {
    const r = await run('none', 7, 'always');
    expect(r.outage).not.toBeNull();
    expect(r.halted).toBe(false);
    expect(r.completed).toBe(true);
    expect(r.ring_reached).toBe(4);
    expect(r.audit_chain_ok).toBe(true);
  });

  it('a crash on load halts in ring 0, within 3 intervals of the first crash report, and rolls back', async () => {
    const r = await run('crash-on-load', 3);
    expect(r.halted).toBe(true);
    expect(r.ring_reached).toBe(0);
    expect(r.exposure_at_halt).toBeLessThanOrEqual(0.01);
    expect(r.halt_after_intervals).not.toBeNull();
    expect(r.halt_after_intervals!).toBeLessThanOrEqual(3);
    expect(r.rollback_intervals!).toBeLessThanOrEqual(2);
    expect(r.halt_reason).toMatch(/content-crashes/);
  });

  it('a CPU burn and a detection flood halt on their gates', async () => {
    const cpu = await run('cpu-burn', 4);
    expect(cpu.halted).toBe(true);
    expect(cpu.halt_reason).toMatch(/^cpu:/);
    const fp = await run('fp-storm', 4);
    expect(fp.halted).toBe(true);
    expect(fp.halt_reason).toMatch(/detections/);
  });

  it('a bad signature and a schema mismatch never leave validation', async () => {
    const sig = await run('bad-signature', 1);
    expect(sig.blocked_in_validation).toBe(true);
    expect(sig.validation_problems.join()).toMatch(/VIGIE_BUNDLE_BAD_SIGNATURE/);
    const schema = await run('schema-mismatch', 1);
    expect(schema.blocked_in_validation).toBe(true);
    expect(schema.validation_problems.join()).toMatch(/process\.integrity_token/);
    expect(schema.halted || schema.completed).toBe(false);
  });
});

describe('sweep summary', () => {
  const base: SimulationResult = {
    fault: 'crash-on-load', seed: 1, hosts: 10000, halted: true, completed: false, exposure_at_halt: 0.005, halt_after_intervals: 1, rollback_intervals: 1,
    blocked_in_validation: false, validation_problems: [], final_state: 'rolled_back', ring_reached: 0, halt_reason: 'x', first_crash_report_interval: 5, halt_interval: 6,
    intervals: 8, outage: null, holds: 0, audit_entries: 5, audit_chain_ok: true,
  };

  it('checks the targets on the results and says which are not met', () => {
    const ok = summarize([base, { ...base, seed: 2, exposure_at_halt: 0.006 }]);
    expect(ok.ok).toBe(true);
    const late = summarize([base, { ...base, seed: 2, exposure_at_halt: 0.04, halt_after_intervals: 9 }]);
    expect(late.ok).toBe(false);
    expect(late.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(['crash-on-load: exposure p95 <= 1%', 'crash-on-load: exposure max <= 3%', 'crash-on-load: halt within 3 intervals of the first crash report']);
    expect(markdownTable(late)).toMatch(/\*\*NOT met\*\*/);
  });

  it('fails a good update that halted or stuck', () => {
    const none = { ...base, fault: 'none' as const, halted: false, completed: true, exposure_at_halt: 0, halt_after_intervals: null, rollback_intervals: null };
    expect(summarize([none]).ok).toBe(true);
    expect(summarize([none, { ...none, seed: 2, completed: false }]).ok).toBe(false);
  });
});
