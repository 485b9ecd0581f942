/** `vigie rollout audit` on a real SQLite file: listing, --verify, and a hand-edited row. */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { command } from '../../../cli/commands/rollout.js';
import { AUDIT_TABLE, SqliteAuditSink } from '../../../rollout/audit/index.js';
import { tempDir } from '../../helpers/fixtures.js';
import { runCommand } from '../../helpers/cli-run.js';

const dir = tempDir('rollout-audit-cli');
afterAll(() => dir.remove());

const vigie = (...argv: string[]) => runCommand(command, ['audit', ...argv]);

describe('vigie rollout audit', () => {
  it('lists entries, verifies the chain, and names the seq of an edited row', async () => {
    const db = join(dir.path, 'rollout.db');
    const opened = SqliteAuditSink.open(db);
    if (!opened.ok) throw new Error(opened.error.message);
    const actions = ['rollout.create', 'rollout.promote', 'gate.fail', 'rollout.halt', 'rollout.rollback'];
    actions.forEach((action, i) => opened.value.append({ actor: i < 2 ? 'alice' : 'controller', action, rollout: 'r1', detail: { ring: i } }));
    opened.value.append({ actor: 'bob', action: 'tenant.pin', detail: { tenant: 't1' } });
    opened.value.close();

    const listed = await vigie('--db', db, '--verify', '--json');
    expect(listed.code, listed.err).toBe(0);
    expect(listed.json.entries.map((e: { action: string }) => e.action)).toEqual([...actions, 'tenant.pin']);
    expect(listed.json.verified).toMatchObject({ ok: true, count: 6, seq: 6 });

    const filtered = await vigie('--db', db, '--rollout', 'r1', '--limit', '2', '--verify');
    expect(filtered.code).toBe(0);
    expect(filtered.out).toMatch(/^\s+1 .* alice rollout\.create \[r1\]/m);
    expect(filtered.out).not.toContain('tenant.pin');
    expect(filtered.out).toContain('chain verified: 6 entries');

    const raw = new Database(db);
    raw.exec(`DROP TRIGGER ${AUDIT_TABLE}_no_update`);
    raw.prepare(`UPDATE ${AUDIT_TABLE} SET actor = 'mallory' WHERE seq = 3`).run();
    raw.close();
    const broken = await vigie('--db', db, '--verify', '--json');
    expect(broken.code).toBe(1);
    expect(broken.json.verified).toMatchObject({ ok: false, error: { code: 'VIGIE_AUDIT_BROKEN', location: { offset: 3 } } });
    expect(broken.json.entries[2].actor).toBe('mallory');
    // Without --verify, listing still works (exit 0): the chain is checked only when asked.
    expect((await vigie('--db', db)).code).toBe(0);
  });

  it('refuses a missing log without creating it, and bad flags with exit 2', async () => {
    const missing = await vigie('--db', join(dir.path, 'none.db'));
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('no audit log');
    expect((await vigie('--limit', '0')).code).toBe(2);
    expect((await vigie('--bogus')).code).toBe(2);
  });
});
