/**
 * RolloutService on a real SQLite file with real signed bundles: install -> create -> start ->
 * a new service on the same file (a restart) -> state intact -> halt (rolls back) -> a later
 * rollout rolled back by hand; directives signed, serials only moving forward across restarts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/fixtures.js';
import { packBundle, trustFiles, validationReport } from './fixtures.js';
import { clock, must, openService, report, RING0 } from './helpers.js';

const dir = tempDir('rollout-service');
afterAll(() => dir.remove());
const t = trustFiles(dir.path);
const b1 = packBundle(dir.path, '0.1.0', t.release);
const b2 = packBundle(dir.path, '0.2.0', t.release);
const b3 = packBundle(dir.path, '0.3.0', t.release);

describe('RolloutService', () => {
  it('keeps a rollout across a restart, halts and rolls it back, and never reuses a serial', async () => {
    const c = clock();
    const s1 = openService(dir.path, t, c);
    const base = must(s1.install(b1.file, { root: t.root, actor: 'alice' }));
    expect(base).toMatchObject({ kind: 'signatures', name: 'vigie-default', version: '0.1.0', sha256: b1.sha256 });
    expect(readFileSync(join(dir.path, 'bundles', `${b1.sha256}.vbundle`))).toEqual(readFileSync(b1.file));

    const created = must(await s1.create(b2.file, { root: t.root, actor: 'alice', admission: { kind: 'report', file: validationReport(dir.path, b2.sha256) } }));
    expect(created.rollout).toMatchObject({ id: 'r1', version: '0.2.0', previous: '0.1.0', state: 'validated', ring: -1 });
    expect(created.validation).toMatchObject({ source: 'report', sha256: b2.sha256 });
    expect(existsSync(join(dir.path, 'bundles', `${b2.sha256}.vbundle`))).toBe(true);
    c.now += 60_000;
    expect(must(s1.start('r1', 'alice'))).toMatchObject({ state: 'rolling', ring: 0, ringSinceMs: c.now });

    // A ring-0 host hears the new version.
    s1.controller.ingest(report(RING0[0]!, '0.1.0', c.now));
    const d1 = s1.controller.directiveFor(RING0[0]!, c.now)!;
    s1.noteSerial();
    expect(d1.signed.targets).toEqual([{ kind: 'signatures', name: 'vigie-default', version: '0.2.0', sha256: b2.sha256 }]);
    expect(t.trust(c.now).verifyDirective(d1, c.now).ok).toBe(true);
    const before = s1.controller.exportState();
    s1.close();

    // Restart: everything but the host table comes back.
    c.now += 15_000;
    const s2 = openService(dir.path, t, c);
    const after = s2.controller.exportState();
    expect(after.rollouts.map(({ baselineNew: _n, baselineOld: _o, ...r }) => r)).toEqual(before.rollouts.map(({ baselineNew: _n, baselineOld: _o, ...r }) => r));
    expect(after.ga).toEqual(before.ga);
    expect(after.lastSerial).toBe(d1.signed.serial);
    expect(s2.controller.hosts.hosts.size).toBe(0);
    s2.controller.ingest(report(RING0[0]!, '0.1.0', c.now));
    const d2 = s2.controller.directiveFor(RING0[0]!, c.now)!;
    expect(d2.signed.serial).toBeGreaterThan(d1.signed.serial);

    // The host took 0.2.0; a halt rolls it back with a directive naming the version to leave.
    c.now += 15_000;
    s2.controller.ingest(report(RING0[0]!, '0.2.0', c.now));
    const halted = must(s2.halt('r1', 'bob', 'content crashes on ring 0'));
    expect(halted).toMatchObject({ state: 'rolled_back', haltReason: 'content crashes on ring 0', haltedMs: c.now });
    const d3 = s2.controller.directiveFor(RING0[0]!, c.now)!;
    s2.noteSerial();
    expect(d3.signed.targets[0]).toMatchObject({ version: '0.1.0', sha256: b1.sha256 });
    expect(d3.signed.rollback).toEqual([{ kind: 'signatures', name: 'vigie-default', version: '0.2.0' }]);
    expect(d3.signed.serial).toBeGreaterThan(d2.signed.serial);
    s2.close();

    c.now += 15_000;
    const s3 = openService(dir.path, t, c);
    expect(s3.controller.get('r1')).toMatchObject({ state: 'rolled_back', haltReason: 'content crashes on ring 0' });
    expect(s3.controller.stable('signatures')?.version).toBe('0.1.0');
    s3.controller.ingest(report(RING0[1]!, '0.2.0', c.now));
    const d4 = s3.controller.directiveFor(RING0[1]!, c.now)!;
    expect(d4.signed.rollback.map((r) => r.version)).toEqual(['0.2.0']);
    expect(d4.signed.serial).toBeGreaterThan(d3.signed.serial);

    // A version rolled back is never offered again; the next one rolls out and is rolled back by hand.
    const again = await s3.create(b2.file, { root: t.root, actor: 'alice', admission: { kind: 'report', file: validationReport(dir.path, b2.sha256) } });
    expect(again.ok ? 'ok' : again.error.code).toBe('VIGIE_BUNDLE_ROLLBACK');
    const r2 = must(await s3.create(b3.file, { root: t.root, actor: 'alice', admission: { kind: 'report', file: validationReport(dir.path, b3.sha256) } })).rollout;
    expect(r2.id).toBe('r2');
    must(s3.start('r2', 'alice'));
    expect(must(s3.rollback('r2', 'alice', 'wrong pack'))).toMatchObject({ state: 'rolled_back', haltReason: 'wrong pack' });
    s3.close();

    const s4 = openService(dir.path, t, c);
    expect(s4.controller.all.map((r) => [r.id, r.state])).toEqual([['r1', 'rolled_back'], ['r2', 'rolled_back']]);
    expect(s4.controller.exportState().rolledBack.map((r) => r.version)).toEqual(['0.2.0', '0.3.0']);
    s4.close();
  });

  it('refuses a blocked or foreign validation report, and runs the validator when given none', async () => {
    const c = clock();
    const s = openService(dir.path, t, c, 'validation.db');
    must(s.install(b1.file, { root: t.root, actor: 'alice' }));
    const blocked = await s.create(b2.file, { root: t.root, actor: 'alice', admission: { kind: 'report', file: validationReport(dir.path, b2.sha256, true) } });
    expect(blocked.ok ? 'ok' : blocked.error).toMatchObject({ code: 'VIGIE_VALIDATION_BLOCKED', location: { field: 'replay' } });
    const foreign = await s.create(b2.file, { root: t.root, actor: 'alice', admission: { kind: 'report', file: validationReport(dir.path, b3.sha256) } });
    expect(foreign.ok ? 'ok' : foreign.error).toMatchObject({ code: 'VIGIE_VALIDATION_BLOCKED', location: { field: 'bundle.sha256' } });
    expect(s.controller.all).toHaveLength(0);
    expect(s.audit.entries().filter((e) => e.action === 'validation-blocked').map((e) => e.detail['code'])).toEqual(['VIGIE_VALIDATION_BLOCKED', 'VIGIE_VALIDATION_BLOCKED']);

    const validated = must(await s.create(b2.file, { root: t.root, actor: 'alice', admission: { kind: 'validate', options: { maxEvents: 2000, fuzz: 50, cpuRounds: 1 } } }));
    expect(validated.validation.source).toBe('validator');
    expect(validated.validation.checks.map((k) => k.name)).toEqual(expect.arrayContaining(['bundle', 'schema', 'compile', 'replay', 'fuzz']));
    expect(validated.validation.checks.every((k) => k.verdict !== 'block')).toBe(true);
    expect(validated.rollout.state).toBe('validated');
    s.close();
  });

  it('refuses a bundle the pinned root did not sign, and one of another name', async () => {
    const c = clock();
    const other = trustFiles(join(dir.path, 'other'));
    const foreign = packBundle(join(dir.path, 'other'), '0.1.0', other.release);
    const s = openService(dir.path, t, c, 'foreign.db');
    const r = s.install(foreign.file, { root: t.root, actor: 'alice' });
    expect(r.ok ? 'ok' : r.error.code).toBe('VIGIE_BUNDLE_BAD_SIGNATURE');
    expect(s.controller.stable('signatures')).toBeUndefined();
    s.close();
  });

  it('takes in what another process saved: a pause from the CLI reaches the live service', async () => {
    const c = clock();
    const live = openService(dir.path, t, c, 'shared.db');
    must(live.install(b1.file, { root: t.root, actor: 'alice' }));
    must(await live.create(b2.file, { root: t.root, actor: 'alice', admission: { kind: 'report', file: validationReport(dir.path, b2.sha256) } }));
    must(live.start('r1', 'alice'));
    live.controller.ingest(report(RING0[0]!, '0.1.0', c.now));
    const baseline = live.controller.get('r1').baselineOld;

    const cli = openService(dir.path, t, c, 'shared.db');
    must(cli.pause('r1', 'bob', 'weekend'));
    cli.close();
    expect(live.controller.get('r1').state).toBe('rolling');
    live.refresh();
    expect(live.controller.get('r1').state).toBe('paused');
    expect(live.controller.get('r1').baselineOld).toEqual(baseline);
    // The live service's tick saves over the CLI's change without losing it.
    c.now += 15_000;
    must(live.tick());
    const check = openService(dir.path, t, c, 'shared.db');
    expect(check.controller.get('r1').state).toBe('paused');
    expect(check.controller.get('r1').gates.length).toBeGreaterThan(0);
    check.close();
    live.close();
  });
});
