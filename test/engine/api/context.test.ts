/**
 * GET /api/alerts/{id} with the engine's archive behind it: the tree is the alert's process context
 * (whoami and ipconfig fired nothing and are drawn), `context` says where it comes from, the
 * OpenAPI document has its schema, and another tenant's token learns nothing (404, no archive read).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unwrap } from '../../../common/errors.js';
import { silentLogger } from '../../../common/log.js';
import { AccessService } from '../../../engine/access/index.js';
import { ApiServer } from '../../../engine/api/index.js';
import type { Archive } from '../../../engine/archive/index.js';
import { ALL_TENANTS, SqliteStore } from '../../../engine/store/index.js';
import { AlertGrouper, ProcessContexts } from '../../../engine/triage/index.js';
import { tempDir } from '../../helpers/fixtures.js';
import { T0 } from '../triage/fixtures.js';
import { attackArchive, attackDetections, IPCONFIG, STORED_AT } from '../triage/telemetry.js';

interface Node { image: string; commandLine: string; user: string; relation: string; detections: unknown[]; exitTimeMs: number | null; children: Node[] }
const flat = (nodes: Node[]): Node[] => nodes.flatMap((n) => [n, ...flat(n.children)]);

describe('alert route with process contexts', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: SqliteStore;
  let archive: Archive;
  let server: ApiServer;
  let contexts: ProcessContexts;
  let id: number;
  const tokens: Record<string, string> = {};
  const get = async (token: string, path: string) => {
    const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: await res.json() as Record<string, unknown> };
  };

  beforeAll(async () => {
    dir = tempDir('api-context');
    store = unwrap(SqliteStore.open(`${dir.path}/vigie.db`));
    new AlertGrouper(store, { windowMs: 30 * 60_000 }).ingest(attackDetections(), STORED_AT);
    id = store.alerts.list(ALL_TENANTS)[0]!.id;
    archive = await attackArchive(`${dir.path}/archive`);
    const access = new AccessService(store);
    for (const t of ['beaumont', 'montclar']) unwrap(access.createTenant('setup', t, t));
    unwrap(access.createUser('setup', 'ana', 'tenant_analyst', ['beaumont']));
    unwrap(access.createUser('setup', 'marc', 'tenant_analyst', ['montclar']));
    for (const u of ['ana', 'marc']) tokens[u] = unwrap(access.issueToken('setup', u, 'test')).token;
    contexts = new ProcessContexts(store, { source: archive });
    server = await ApiServer.start({ store, log: silentLogger, host: '127.0.0.1', port: 0, contexts });
  });
  afterAll(async () => { await server.close(); await archive.close(); store.close(); dir.remove(); });

  it('answers the tree around the alert, with what the archive adds', async () => {
    const { status, body } = await get(tokens['ana']!, `/api/alerts/${id}`);
    expect(status).toBe(200);
    expect(body['context']).toMatchObject({ source: 'archive', cached: false, window: { fromMs: T0 + 2000 - 600_000, toMs: T0 + 6000 + 600_000 }, batches: 2 });
    const nodes = flat((body['tree'] as { roots: Node[] }).roots);
    const whoami = nodes.find((n) => n.image.endsWith('whoami.exe'));
    expect(whoami).toMatchObject({ relation: 'descendant', commandLine: 'whoami /all', user: 'BEAU\\marie', detections: [], exitTimeMs: T0 + 5900 });
    expect(nodes.find((n) => n.image === IPCONFIG.image)).toMatchObject({ commandLine: 'ipconfig /all' });
    expect(body['tree']).toMatchObject({ truncated: false, omitted: 0 });
    const again = await get(tokens['ana']!, `/api/alerts/${id}`);
    expect(again.body['context']).toMatchObject({ source: 'archive', cached: true });
    expect(again.body['tree']).toEqual(body['tree']);
  });

  it('answers another tenant as for a missing alert, without reading the archive', async () => {
    const before = { ...contexts.counters };
    const other = await get(tokens['marc']!, `/api/alerts/${id}`);
    const missing = await get(tokens['marc']!, '/api/alerts/99999');
    expect(other).toEqual(missing);
    expect(other.status).toBe(404);
    expect(contexts.counters).toEqual(before);
  });

  it('documents the context in the OpenAPI document, generated from the route', async () => {
    const doc = await (await fetch(`${server.url}/api/openapi.json`)).json() as { components: { schemas: Record<string, { properties: Record<string, unknown> }> }; paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.components.schemas['ProcessContext']!.properties)).toEqual(expect.arrayContaining(['source', 'note', 'window', 'cached']));
    expect(Object.keys(doc.components.schemas['TreeNode']!.properties)).toContain('exitTimeMs');
    expect(JSON.stringify(doc.paths['/api/alerts/{id}'])).toContain('ProcessContext');
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain('vigie_alert_contexts_total{outcome="built"} 1');
  });
});
