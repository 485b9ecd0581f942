import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { unwrap } from '../../../common/errors.js';
import { AccessService, bootstrapAdmin, can, hashToken } from '../../../engine/access/index.js';
import { SqliteStore } from '../../../engine/store/index.js';
import { tempDir } from '../../helpers/fixtures.js';

describe('access: tenants, users, roles, tokens, audit', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: SqliteStore;
  let access: AccessService;

  beforeEach(() => {
    dir = tempDir('access');
    store = unwrap(SqliteStore.open(`${dir.path}/vigie.db`));
    access = new AccessService(store);
    unwrap(access.createTenant('root', 'beaumont', 'Beaumont'));
    unwrap(access.createTenant('root', 'montclar', 'Montclar'));
  });
  afterEach(() => { store.close(); dir.remove(); });

  it('stores only the sha256 of a token, shown once, and authenticates with it', () => {
    unwrap(access.createUser('root', 'ana', 'tenant_analyst', ['beaumont', 'montclar']));
    const { token, record } = unwrap(access.issueToken('root', 'ana', 'laptop', null, 1000));
    expect(token).toMatch(/^vigie_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    const raw = new Database(`${dir.path}/vigie.db`, { readonly: true });
    const row = raw.prepare('SELECT * FROM api_tokens').get() as { hash: string };
    raw.close();
    expect(row.hash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token.split('_')[2]);
    store.close();
    for (const f of ['vigie.db', 'vigie.db-wal']) {
      try { expect(readFileSync(`${dir.path}/${f}`).includes(Buffer.from(token.split('_')[2]!))).toBe(false); } catch (e) { if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e; }
    }
    store = unwrap(SqliteStore.open(`${dir.path}/vigie.db`));
    access = new AccessService(store);
    const p = unwrap(access.authenticate(token, 2000));
    expect(p).toMatchObject({ user: 'ana', role: 'tenant_analyst', tenants: ['beaumont', 'montclar'], tokenId: record.id });
    expect(p.scope).toEqual({ all: false, tenants: ['beaumont', 'montclar'] });
    expect(store.access.token(record.id)!.lastUsedMs).toBe(2000);
  });

  it('refuses revoked, expired, unknown, malformed tokens and disabled users, all with one answer', () => {
    unwrap(access.createUser('root', 'ana', 'service_analyst'));
    unwrap(access.createUser('root', 'bob', 'service_analyst'));
    const a = unwrap(access.issueToken('root', 'ana', 'a', null, 1000));
    const b = unwrap(access.issueToken('root', 'ana', 'b', 5000, 1000));
    const c = unwrap(access.issueToken('root', 'bob', 'c', null, 1000));
    unwrap(access.revokeToken('root', a.record.id, 2000));
    unwrap(access.disableUser('root', 'bob', 2000));
    const forged = `vigie_${a.record.id}_${'A'.repeat(43)}`;
    const answers = [access.authenticate(a.token, 3000), access.authenticate(b.token, 6000), access.authenticate(c.token, 3000),
      access.authenticate(forged, 3000), access.authenticate('Bearer x', 3000), access.authenticate(undefined, 3000)];
    for (const r of answers) expect(r).toEqual({ ok: false, error: { code: 'VIGIE_AUTH_TOKEN', message: 'missing, invalid, expired or revoked token' } });
    expect(access.authenticate(b.token, 4000).ok).toBe(true);
    expect(store.access.token(c.record.id)!.revokedMs).toBe(2000); // disabling revoked bob's tokens
  });

  it('audits every access change with who, what and when', () => {
    unwrap(access.createUser('root', 'ana', 'tenant_analyst', ['beaumont'], 10));
    unwrap(access.grant('root', 'ana', 'montclar', 11));
    unwrap(access.ungrant('root', 'ana', 'beaumont', 12));
    unwrap(access.setRole('root', 'ana', 'service_analyst', 13));
    const t = unwrap(access.issueToken('root', 'ana', 'x', null, 14));
    unwrap(access.revokeToken('root', t.record.id, 15));
    unwrap(access.disableUser('root', 'ana', 16));
    store.enroll({ sensorId: 's1', tenant: 'beaumont', host: 'BEAU-PC1', publicKey: 'k1', enrolledMs: 1 });
    unwrap(access.assignHost('root', 'BEAU-PC1', 'montclar', 17));
    const log = store.access.auditLog().reverse().filter((e) => e.action !== 'tenant.create');
    expect(log.map((e) => [e.timeMs, e.actor, e.action, e.target])).toEqual([
      [10, 'root', 'user.create', 'ana'], [11, 'root', 'user.grant', 'ana'], [12, 'root', 'user.ungrant', 'ana'],
      [13, 'root', 'user.role', 'ana'], [14, 'root', 'token.issue', t.record.id], [15, 'root', 'token.revoke', t.record.id],
      [16, 'root', 'user.disable', 'ana'], [17, 'root', 'host.assign', 'BEAU-PC1'],
    ]);
    expect(log[3]!.detail).toEqual({ from: 'tenant_analyst', to: 'service_analyst' });
    expect(store.sensorById('s1')!.tenant).toBe('montclar');
  });

  it('rejects bad names, roles, unknown tenants and users with typed errors', () => {
    const codes = [
      access.createUser('root', 'a b', 'admin'), access.createUser('root', 'x', 'god'), access.createUser('root', 'x', 'tenant_analyst', ['nowhere']),
      access.grant('root', 'nobody', 'beaumont'), access.issueToken('root', 'nobody', 'x'), access.revokeToken('root', 'ffff'),
      access.createTenant('root', 'beaumont', 'again'), access.assignHost('root', 'NO-HOST', 'beaumont'),
    ].map((r) => (r.ok ? 'ok' : r.error.code));
    expect(codes).toEqual(['VIGIE_REQUEST_INVALID', 'VIGIE_REQUEST_INVALID', 'VIGIE_NOT_FOUND', 'VIGIE_NOT_FOUND', 'VIGIE_NOT_FOUND', 'VIGIE_NOT_FOUND', 'VIGIE_REQUEST_INVALID', 'VIGIE_NOT_FOUND']);
  });

  it('gives each role its actions', () => {
    expect(can('tenant_analyst', 'alerts:triage')).toBe(true);
    expect(can('tenant_analyst', 'access:admin')).toBe(false);
    expect(can('release_manager', 'alerts:read')).toBe(false);
    expect(can('release_manager', 'fleet:read')).toBe(true);
    expect(can('admin', 'access:admin')).toBe(true);
  });

  it('bootstraps a first admin once, with a token file only its owner reads', () => {
    const file = `${dir.path}/admin.token`;
    expect(bootstrapAdmin(store, file)).toBe(file);
    const token = readFileSync(file, 'utf8').trim();
    expect(unwrap(access.authenticate(token)).role).toBe('admin');
    expect(bootstrapAdmin(store, file)).toBeUndefined();
  });
});
