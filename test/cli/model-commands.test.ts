/**
 * `vigie model train|info|eval` as a user runs them (child processes from dist/): a model trained
 * on the simulated fleet, its card, and clear typed errors for what cannot be done.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, distBuilt } from '../helpers/engine-process.js';
import { tempDir } from '../helpers/fixtures.js';

const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, VIGIE_LOG_LEVEL: 'warn' } });
const lastJson = (out: string) => JSON.parse(out.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'sysmon', 'windows.jsonl');

describe.skipIf(!distBuilt)('vigie model (needs dist/)', () => {
  it('trains a model on the simulated fleet with progress on stderr, and shows its card', () => {
    const dir = tempDir('cli-model');
    try {
      const out = join(dir.path, 'p.onnx');
      const r = run(['model', 'train', '--simulate', '6', '--hours', '10', '--epochs', '2', '--scale-floor', '0.1', '--kind', 'process', '--out', out, '--json']);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain('training process');
      const summary = lastJson(r.stdout);
      expect(summary).toMatchObject({ out, kind: 'process', name: 'vigie-process' });
      expect(existsSync(out)).toBe(true);
      const info = run(['model', 'info', out]);
      expect(info.status, info.stderr).toBe(0);
      expect(JSON.parse(info.stdout)).toMatchObject({ kind: 'process', featureSchemaVersion: 'vigie.features/1', training: { epochs: 2, scaleFloor: 0.1 } });
    } finally {
      dir.remove();
    }
  });

  it('refuses bad requests with a code and what to do', () => {
    const noData = run(['model', 'train', '--kind', 'process', '--out', '/tmp/x.onnx']);
    expect(noData.status).not.toBe(0);
    expect(noData.stderr).toContain('VIGIE_CONFIG_INVALID');
    expect(noData.stderr).toContain('--data');
    const badFloor = run(['model', 'eval', '--data', FIXTURE, '--scale-floor', 'abc']);
    expect(badFloor.status).not.toBe(0);
    expect(badFloor.stderr).toContain('VIGIE_CONFIG_INVALID: --scale-floor must be a number in [0, 1], got "abc"');
    const badKind = run(['model', 'train', '--simulate', '2', '--kind', 'dns', '--out', '/tmp/x.onnx']);
    expect(badKind.stderr).toContain('--kind must be process or network');
    const corrupt = run(['model', 'info', FIXTURE]);
    expect(corrupt.status).not.toBe(0);
    expect(corrupt.stderr).toContain('VIGIE_MODEL_INVALID');
    const oneModel = run(['model', 'eval', '--data', FIXTURE, '--model', 'models/default/process.onnx']);
    expect(oneModel.status).not.toBe(0);
    expect(oneModel.stderr).toContain('one process model and one network model');
  });

  it('evaluates the default models on a labelled log: model, model without lineage and the rarity baseline', () => {
    const r = run(['model', 'eval', '--data', FIXTURE, '--model', 'models/default/process.onnx', '--model', 'models/default/network.onnx', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const report = lastJson(r.stdout) as { process: { events: number; model: Record<string, number>; baseline_rarity: Record<string, number> } };
    expect(report.process.events).toBeGreaterThan(0);
    expect(report.process.model).toHaveProperty('roc_auc');
    expect(report.process.baseline_rarity).toHaveProperty('recall_at_1pct_fpr');
  });
});
