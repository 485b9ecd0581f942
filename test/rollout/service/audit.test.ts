/**
 * Every action through the service lands in the hash-chained audit log of the same SQLite file,
 * with its actor, in the same commit as the state change; the chain verifies, and an edited or
 * deleted row is caught at its seq.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AUDIT_TABLE, SqliteAuditSink, verifyAuditChain } from '../../../rollout/audit/index.js';
import { tempDir } from '../../helpers/fixtures.js';
import { packBundle, trustFiles, validationReport } from './fixtures.js';
import { clock, must, openService } from './helpers.js';

const dir = tempDir('rollout-service-audit');
afterAll(() => dir.remove());
const t = trustFiles(dir.path);

describe('rollout service audit log', () => {
  it('records every action with its actor, verifies, and catches a tampered or removed row', async () => {
    const b1 = packBundle(dir.path, '0.1.0', t.release);
    const b2 = packBundle(dir.path, '0.2.0', t.release);
    const c = clock();
    const s = openService(dir.path, t, c);
    must(s.install(b1.file, { root: t.root, actor: 'alice' }));
    must(await s.create(b2.file, { root: t.root, actor: 'alice', admission: { kind: 'report', file: validationReport(dir.path, b2.sha256) } }));
    must(s.start('r1', 'alice'));
    must(s.pause('r1', 'bob', 'change freeze'));
    must(s.resume('r1', 'bob'));
    must(s.promote('r1', 'carol', 'ring 0 looks fine'));
    must(s.tenant('town-a', { pin: { kind: 'signatures', version: '0.1.0' } }, 'dave'));
    must(s.tenant('town-b', { delayHours: 48 }, 'dave'));
    must(s.halt('r1', 'erin', 'too many detections'));
    const refused = s.resume('r1', 'mallory');
    expect(refused.ok).toBe(false);
    s.close();

    const db = join(dir.path, 'rollout.db');
    const sink = must(SqliteAuditSink.open(db));
    const entries = sink.entries();
    sink.close();
    expect(entries.map((e) => [e.actor, e.action])).toEqual([
      ['controller', 'plan'], ['alice', 'install'], ['alice', 'validation'], ['alice', 'create'], ['alice', 'start'],
      ['bob', 'pause'], ['bob', 'resume'], ['carol', 'advance'], ['dave', 'tenant-control'], ['dave', 'tenant-control'],
      ['erin', 'halt'], ['erin', 'rollback'],
    ]);
    expect(entries[5]!.detail).toMatchObject({ reason: 'change freeze', version: '0.2.0' });
    expect(entries[7]!.detail).toMatchObject({ ring: 1, reason: 'ring 0 looks fine' });
    expect(entries[8]!.detail).toEqual({ tenant: 'town-a', pin: { signatures: '0.1.0' } });
    expect(must(verifyAuditChain(entries, { file: db }))).toMatchObject({ count: 12, seq: 12 });

    const raw = new Database(db);
    expect(() => raw.prepare(`UPDATE ${AUDIT_TABLE} SET actor = 'mallory' WHERE seq = 6`).run()).toThrow(/append-only/);
    raw.exec(`DROP TRIGGER ${AUDIT_TABLE}_no_update; DROP TRIGGER ${AUDIT_TABLE}_no_delete`);
    raw.prepare(`UPDATE ${AUDIT_TABLE} SET detail = ? WHERE seq = 11`).run(JSON.stringify({ reason: 'nothing happened' }));
    raw.close();
    const tampered = must(SqliteAuditSink.open(db));
    const broken = verifyAuditChain(tampered.entries(), { file: db });
    expect(broken.ok ? 'ok' : broken.error).toMatchObject({ code: 'VIGIE_AUDIT_BROKEN', location: { offset: 11, field: 'hash' } });
    tampered.close();

    const raw2 = new Database(db);
    // Opening the sink put its triggers back; someone holding the file drops them again.
    raw2.exec(`DROP TRIGGER ${AUDIT_TABLE}_no_delete`);
    raw2.prepare(`DELETE FROM ${AUDIT_TABLE} WHERE seq = 6`).run();
    raw2.close();
    const cut = must(SqliteAuditSink.open(db));
    const gap = verifyAuditChain(cut.entries(), { file: db });
    expect(gap.ok ? 'ok' : gap.error).toMatchObject({ code: 'VIGIE_AUDIT_BROKEN', location: { offset: 6, field: 'seq' } });
    cut.close();
  });
});
