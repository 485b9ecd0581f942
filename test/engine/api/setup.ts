/**
 * A store with two towns (tenants), a phishing alert and an exception in each, one user per role
 * with a token, and the API listening on 127.0.0.1 (port chosen by the OS).
 */
import { unwrap } from '../../../common/errors.js';
import { silentLogger, type Logger } from '../../../common/log.js';
import { AccessService } from '../../../engine/access/index.js';
import { ApiServer, type RouteSet } from '../../../engine/api/index.js';
import { ALL_TENANTS, SqliteStore } from '../../../engine/store/index.js';
import { AlertGrouper, TriageActions } from '../../../engine/triage/index.js';
import { tempDir } from '../../helpers/fixtures.js';
import { phishing, T0 } from '../triage/fixtures.js';

export interface World {
  dir: ReturnType<typeof tempDir>;
  store: SqliteStore;
  server: ApiServer;
  grouper: AlertGrouper;
  tokens: Record<'ana' | 'marc' | 'svc' | 'rel' | 'root' | 'revoked', string>;
  /** Alert, exception and sensor of each town. */
  beau: { alert: number; exception: number; sensor: string };
  mont: { alert: number; exception: number; sensor: string };
  call(token: string | undefined, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown; text: string }>;
  close(): Promise<void>;
}

export async function world(extraRoutes: RouteSet[] = [], log: Logger = silentLogger): Promise<World> {
  const dir = tempDir('api');
  const store = unwrap(SqliteStore.open(`${dir.path}/vigie.db`));
  const access = new AccessService(store);
  for (const [id, name] of [['beaumont', 'Beaumont'], ['montclar', 'Montclar']]) unwrap(access.createTenant('setup', id!, name!));
  store.enroll({ sensorId: 'sensor-BEAU-PC0042', tenant: 'beaumont', host: 'BEAU-PC0042', publicKey: 'k1', enrolledMs: T0 });
  store.enroll({ sensorId: 'sensor-MONT-PC0001', tenant: 'montclar', host: 'MONT-PC0001', publicKey: 'k2', enrolledMs: T0 });
  store.markSeen(['sensor-BEAU-PC0042', 'sensor-MONT-PC0001'], Date.now());
  const grouper = new AlertGrouper(store, { windowMs: 30 * 60_000 });
  grouper.ingest(phishing());
  grouper.ingest(phishing({ tenant: 'montclar', host: 'MONT-PC0001' }));
  const alertOf = (tenant: string) => store.alerts.list(ALL_TENANTS, { tenant })[0]!.id;
  const triage = new TriageActions(store);
  const exceptionOf = (tenant: string) => unwrap(triage.createException({ name: 'setup', scope: ALL_TENANTS }, { tenant, ruleId: 'noisy-rule', reason: 'noise' })).id;
  unwrap(access.createUser('setup', 'ana', 'tenant_analyst', ['beaumont']));
  unwrap(access.createUser('setup', 'marc', 'tenant_analyst', ['montclar']));
  unwrap(access.createUser('setup', 'svc', 'service_analyst'));
  unwrap(access.createUser('setup', 'rel', 'release_manager'));
  unwrap(access.createUser('setup', 'root', 'admin'));
  const token = (user: string) => unwrap(access.issueToken('setup', user, 'test')).token;
  const tokens = { ana: token('ana'), marc: token('marc'), svc: token('svc'), rel: token('rel'), root: token('root'), revoked: '' };
  const revoked = unwrap(access.issueToken('setup', 'ana', 'to revoke'));
  unwrap(access.revokeToken('setup', revoked.record.id));
  tokens.revoked = revoked.token;
  const server = await ApiServer.start({ store, log, host: '127.0.0.1', port: 0, extraRoutes });
  const call = async (tok: string | undefined, method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = {};
    if (tok !== undefined) headers['authorization'] = `Bearer ${tok}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${server.url}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    let parsed: unknown = text;
    try { parsed = JSON.parse(text); } catch { /* not JSON (metrics) */ }
    return { status: res.status, body: parsed, text };
  };
  return {
    dir, store, server, grouper, tokens, call,
    beau: { alert: alertOf('beaumont'), exception: exceptionOf('beaumont'), sensor: 'sensor-BEAU-PC0042' },
    mont: { alert: alertOf('montclar'), exception: exceptionOf('montclar'), sensor: 'sensor-MONT-PC0001' },
    async close() { await server.close(); store.close(); dir.remove(); },
  };
}
