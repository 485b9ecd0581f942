/**
 * The release manager's commands end to end in a temp dir, through the rollout dispatcher (in
 * process): keys init, the default pack bundled at two versions, install, create (the validator
 * runs), start, status --json, pause, resume, pin and tenant controls shown in status, halt; then
 * refusals (exit 1 with a typed code, --json too), usage errors (exit 2) and the audit chain.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command } from '../../../cli/commands/rollout.js';
import { defaultPack, writePackFile } from '../../../signatures/pack/index.js';
import { tempDir } from '../../helpers/fixtures.js';
import { runCommand } from '../../helpers/cli-run.js';

const dir = tempDir('rollout-controller-cli');
const savedUser = process.env['USER'];
beforeAll(() => void (process.env['USER'] = 'release-bob'));
afterAll(() => {
  dir.remove();
  if (savedUser === undefined) delete process.env['USER'];
  else process.env['USER'] = savedUser;
});

const vigie = (...argv: string[]) => runCommand(command, [...argv]);

const keys = join(dir.path, 'keys');
const root = join(keys, 'root.json');
const db = join(dir.path, 'rollout.db');
const store = ['--db', db, '--bundles', join(dir.path, 'bundles')];

async function bundle(version: string): Promise<string> {
  const pack = join(dir.path, `pack-${version}.json`);
  expect(writePackFile(pack, { ...defaultPack(), version }).ok).toBe(true);
  const out = join(dir.path, `pack-${version}.vbundle`);
  const r = await vigie('bundle', '--kind', 'signatures', '--in', pack, '--out', out, '--keys', keys);
  expect(r.code, r.err).toBe(0);
  return out;
}

describe('vigie rollout install|create|start|status|pause|resume|pin|tenant|halt', () => {
  it('runs a rollout from the command line and refuses what the state machine forbids', async () => {
    expect((await vigie('keys', 'init', '--dir', keys)).code).toBe(0);
    const b1 = await bundle('0.1.0');
    const b2 = await bundle('0.2.0');

    const none = await vigie('status', ...store, '--json');
    expect(none.code).toBe(1);
    expect(none.json).toMatchObject({ ok: false, error: { code: 'VIGIE_STORE_IO' } });

    const installed = await vigie('install', b1, '--root', root, ...store, '--actor', 'alice', '--json');
    expect(installed.code, installed.err).toBe(0);
    expect(installed.json).toMatchObject({ ok: true, bundle: { kind: 'signatures', name: 'vigie-default', version: '0.1.0' } });
    const empty = await vigie('status', ...store, '--json');
    expect(empty.json).toMatchObject({ ok: true, rollouts: [], ga: [{ kind: 'signatures', version: '0.1.0', history: ['0.1.0'] }], tenants: [], controller: null });

    const created = await vigie('create', b2, '--root', root, ...store, '--actor', 'alice', '--max-events', '2000', '--fuzz', '50', '--json');
    expect(created.code, created.err).toBe(0);
    expect(created.json.rollout).toMatchObject({ id: 'r1', version: '0.2.0', previous: '0.1.0', state: 'validated' });
    expect(created.json.rollout.baselineNew).toBeUndefined();
    expect(created.json.validation.source).toBe('validator');
    expect(created.json.validation.checks.map((c: { name: string }) => c.name)).toEqual(expect.arrayContaining(['replay', 'fuzz']));

    expect((await vigie('start', 'r1', ...store, '--json')).json.rollout).toMatchObject({ state: 'rolling', ring: 0 });
    const status = await vigie('status', 'r1', ...store, '--json');
    expect(status.code).toBe(0);
    expect(status.json.rollouts).toHaveLength(1);
    expect(status.json.rollouts[0]).toMatchObject({ id: 'r1', state: 'rolling', ring: 0, ringName: 'ring0', rings: 5, bakeMs: 3_600_000, hosts: null, gates: [] });
    expect(status.json.rollouts[0].inRingMs).toBeGreaterThanOrEqual(0);

    const paused = await vigie('pause', 'r1', '--reason', 'change freeze', ...store, '--json');
    expect(paused.json).toMatchObject({ ok: true, rollout: { state: 'paused' } });
    const twice = await vigie('pause', 'r1', ...store, '--json');
    expect(twice.code).toBe(1);
    expect(twice.json).toMatchObject({ ok: false, error: { code: 'VIGIE_ROLLOUT_STATE' } });
    expect(twice.err).toMatch(/^VIGIE_ROLLOUT_STATE: cannot pause rollout r1: it is paused/);
    expect((await vigie('resume', 'r1', ...store)).out).toMatch(/r1: signatures vigie-default 0.2.0 is rolling/);

    const pinned = await vigie('pin', '--tenant', 'town-a', '--kind', 'signatures', '--version', '0.1.0', ...store, '--json');
    expect(pinned.json).toMatchObject({ ok: true, tenant: { tenant: 'town-a', pin: { signatures: '0.1.0' } } });
    expect((await vigie('tenant', '--tenant', 'town-b', '--delay-hours', '48', '--one-behind', ...store)).out).toBe('tenant town-b: 48 h behind GA, one version behind\n');
    const withTenants = await vigie('status', ...store, '--json');
    expect(withTenants.json.tenants).toEqual([{ tenant: 'town-a', pin: { signatures: '0.1.0' } }, { tenant: 'town-b', delayHours: 48, oneBehind: true }]);
    const text = await vigie('status', ...store);
    expect(text.out).toContain('tenant town-a: pin signatures 0.1.0');
    expect(text.out).toMatch(/r1 {2}signatures vigie-default 0.2.0 \(from 0.1.0\): rolling, ring 1 of 5 \(ring0\)/);

    const halted = await vigie('halt', 'r1', '--reason', 'detections flood on ring 0', ...store, '--json');
    expect(halted.json.rollout).toMatchObject({ state: 'rolled_back', haltReason: 'detections flood on ring 0' });
    const after = await vigie('status', 'r1', ...store, '--json');
    expect(after.json.rollouts[0]).toMatchObject({ state: 'rolled_back', haltReason: 'detections flood on ring 0' });
    const late = await vigie('promote', 'r1', ...store, '--json');
    expect(late.json.error.code).toBe('VIGIE_ROLLOUT_STATE');
    // A rolled-back version cannot be pinned; unpinning works.
    const badPin = await vigie('pin', '--tenant', 'town-a', '--kind', 'signatures', '--version', '0.2.0', ...store, '--json');
    expect(badPin.json).toMatchObject({ ok: false, error: { code: 'VIGIE_ROLLOUT_NOT_FOUND' } });
    expect((await vigie('pin', '--tenant', 'town-a', '--kind', 'signatures', '--clear', ...store)).out).toBe('tenant town-a: follows the rollout\n');

    // A blocked validation report stops the next create; the rollout is not made.
    const b3 = await bundle('0.3.0');
    const report = join(dir.path, 'blocked.json');
    const sha = (await vigie('verify', b3, '--root', root, '--json')).json.manifest.sha256 as string;
    writeFileSync(report, `some table first\n${JSON.stringify({ bundle: { sha256: sha }, blocked: true, checks: [{ name: 'cpu', verdict: 'block', code: 'VIGIE_VALIDATION_BLOCKED', detail: '3x slower' }] })}\n`);
    const blocked = await vigie('create', b3, '--root', root, '--validation', report, ...store, '--json');
    expect(blocked.json).toMatchObject({ ok: false, error: { code: 'VIGIE_VALIDATION_BLOCKED', location: { field: 'cpu' } } });
    expect((await vigie('status', ...store, '--json')).json.rollouts).toHaveLength(1);

    const audit = await vigie('audit', '--db', db, '--verify', '--json');
    expect(audit.json.verified).toMatchObject({ ok: true });
    const by = audit.json.entries.map((e: { actor: string; action: string }) => `${e.actor}:${e.action}`);
    expect(by).toEqual(['controller:plan', 'alice:install', 'alice:validation', 'alice:create', 'release-bob:start', 'release-bob:pause', 'release-bob:resume',
      'release-bob:tenant-control', 'release-bob:tenant-control', 'release-bob:halt', 'release-bob:rollback', 'release-bob:tenant-control',
      'release-bob:validation-blocked']);
    expect(audit.json.entries.at(-1).detail).toMatchObject({ version: '0.3.0', code: 'VIGIE_VALIDATION_BLOCKED', location: { field: 'cpu' } });
  });

  it('answers usage errors with exit 2', async () => {
    expect((await vigie('pause', ...store)).code).toBe(2);
    expect((await vigie('pause', 'r1', 'r2', ...store)).code).toBe(2);
    expect((await vigie('pin', '--tenant', 'a', '--kind', 'firmware', '--version', '1.0.0', ...store)).code).toBe(2);
    expect((await vigie('pin', '--tenant', 'a', '--kind', 'model', ...store)).code).toBe(2);
    expect((await vigie('tenant', '--tenant', 'a', '--pause', '--resume', ...store)).code).toBe(2);
    expect((await vigie('tenant', '--tenant', '../x', ...store)).code).toBe(2);
    expect((await vigie('tenant', '--tenant', 'a', '--delay-hours', '-3', ...store)).code).toBe(2);
    expect((await vigie('create', 'x.vbundle', '--validation', 'r.json', '--fuzz', '10', ...store)).code).toBe(2);
    expect((await vigie('status', '--bogus', ...store)).code).toBe(2);
    expect((await vigie('halt', '--help')).code).toBe(0);
  });
});
