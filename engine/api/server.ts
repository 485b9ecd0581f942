/**
 * The HTTP API (Fastify): routes with JSON schemas, the OpenAPI document generated from them,
 * bearer tokens, tenant scope applied in every query, Prometheus /metrics, one structured log line
 * per request. Other surfaces (the web console) add their routes through `extraRoutes`, so this
 * folder does not depend on them.
 */
import swagger from '@fastify/swagger';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { Logger } from '../../common/log.js';
import { AccessService } from '../access/index.js';
import type { SqliteStore } from '../store/index.js';
import { TriageActions, type ProcessContexts } from '../triage/index.js';
import type { ApiContext } from './context.js';
import { storeMetrics, type Metric, type MetricsSource } from './metrics.js';
import { adminRoutes } from './routes/admin.js';
import { alertRoutes } from './routes/alerts.js';
import { exceptionRoutes } from './routes/exceptions.js';
import { hostRoutes } from './routes/hosts.js';
import { metaRoutes } from './routes/meta.js';
import { SHARED_SCHEMAS } from './schemas.js';

export type RouteSet = (app: FastifyInstance, ctx: ApiContext) => void;

export interface ApiOptions {
  store: SqliteStore;
  log: Logger;
  /** Engine counters (ingest, stages, detections); the store's and HTTP's are added here. */
  metrics?: MetricsSource;
  /** A sensor is online when heard from within this (default 90 s: a few heartbeats). */
  onlineWithinMs?: number;
  now?: () => number;
  extraRoutes?: readonly RouteSet[];
  /** Alert process contexts from the engine's archive (engine/triage/contexts.ts); without: trees from detections. */
  contexts?: ProcessContexts;
}

export async function buildApi(o: ApiOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024, ajv: { customOptions: { removeAdditional: false } } });
  const http = { requests: new Map<string, number>(), seconds: 0 };
  const onlineWithinMs = o.onlineWithinMs ?? 90_000;
  const now = o.now ?? Date.now;
  const file = o.store.database.name === ':memory:' ? undefined : o.store.database.name;
  const ctx: ApiContext = {
    store: o.store, access: new AccessService(o.store), triage: new TriageActions(o.store), contexts: o.contexts, log: o.log, onlineWithinMs, now,
    metrics: () => [...(o.metrics?.() ?? []), ...storeMetrics(o.store, file, now(), onlineWithinMs), ...contextMetrics(o.contexts), ...httpMetrics(http)],
  };
  app.decorateRequest('principal', null);
  for (const s of SHARED_SCHEMAS) app.addSchema(s);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Vigie API', version: '1', description: 'Alerts, triage, exceptions, hosts, fleet health, tenants, users and tokens. See docs/API.md.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (typeof json['$id'] === 'string' ? json['$id'] : `def-${i}`) },
  });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err.validation || (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500)) {
      return reply.code(err.statusCode && err.statusCode !== 422 ? err.statusCode : 400).send({ error: { code: 'VIGIE_REQUEST_INVALID', message: err.message } });
    }
    o.log.error('http handler failed', { method: req.method, route: req.routeOptions.url, error: err });
    return reply.code(500).send({ error: { code: 'VIGIE_INTERNAL', message: 'internal error (logged)' } });
  });
  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ error: { code: 'VIGIE_NOT_FOUND', message: 'no such route' } }));

  app.addHook('onResponse', async (req, reply) => {
    const ms = reply.elapsedTime;
    const key = `${req.method} ${Math.floor(reply.statusCode / 100)}xx`;
    http.requests.set(key, (http.requests.get(key) ?? 0) + 1);
    http.seconds += ms / 1000;
    const fields = { method: req.method, route: req.routeOptions.url ?? 'unknown', status: reply.statusCode, ms: Math.round(ms * 10) / 10, user: req.principal?.user ?? null };
    if (reply.statusCode >= 500) o.log.error('http', fields);
    else if (req.method !== 'GET' || reply.statusCode === 401 || reply.statusCode === 403) o.log.info('http', fields);
    else o.log.debug('http', fields);
  });

  metaRoutes(app, ctx);
  alertRoutes(app, ctx);
  exceptionRoutes(app, ctx);
  hostRoutes(app, ctx);
  adminRoutes(app, ctx);
  for (const routes of o.extraRoutes ?? []) routes(app, ctx);
  await app.ready();
  return app;
}

function contextMetrics(c: ProcessContexts | undefined): Metric[] {
  if (!c) return [];
  return [{
    name: 'vigie_alert_contexts_total', type: 'counter', help: 'Alert process trees served: from the store (cache_hits), built from the archive, drawn from detections (fallbacks), refused by a busy archive',
    samples: Object.entries(c.counters).map(([outcome, value]) => ({ labels: { outcome }, value })),
  }];
}

function httpMetrics(h: { requests: Map<string, number>; seconds: number }): Metric[] {
  return [
    {
      name: 'vigie_http_requests_total', type: 'counter', help: 'HTTP requests answered, by method and status class',
      samples: [...h.requests].map(([k, value]) => { const [method, status] = k.split(' '); return { labels: { method: method!, status: status! }, value }; }),
    },
    { name: 'vigie_http_request_seconds_total', type: 'counter', help: 'Time spent answering HTTP requests', samples: [{ value: h.seconds }] },
  ];
}

/** The API listening on host:port (port 0: chosen by the OS); `close()` stops it. */
export class ApiServer {
  private constructor(readonly app: FastifyInstance, readonly url: string) {}

  static async start(o: ApiOptions & { host: string; port: number }): Promise<ApiServer> {
    const app = await buildApi(o);
    await app.listen({ host: o.host, port: o.port });
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : o.port;
    return new ApiServer(app, `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}`);
  }

  async close(): Promise<void> {
    await this.app.close();
  }
}

/** `127.0.0.1:7480` -> { host, port }; undefined for 'none'. */
export function parseListen(value: string): { host: string; port: number } | undefined {
  if (value === 'none' || value === '') return undefined;
  const m = /^(.*):(\d{1,5})$/.exec(value);
  if (!m || Number(m[2]) > 65535) return undefined;
  return { host: m[1]!.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1', port: Number(m[2]) };
}
