/**
 * `npm run bench:api`: the queue's first page and an alert page over real HTTP, with 100,000 alerts
 * in the store (12 tenants, 3 detections each with a 4-process ancestry, a third of them open).
 * Prints one JSON line; the target is p99 < 100 ms for both (issue 6).
 * Requests are sent one at a time (an analyst's browser, not a load test), after a warm-up.
 */
import { rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unwrap } from '../common/errors.js';
import { silentLogger } from '../common/log.js';
import { AccessService } from '../engine/access/index.js';
import { ApiServer } from '../engine/api/index.js';
import { consoleRoutes } from '../engine/console/index.js';
import type { Detection, Severity } from '../engine/detect/detection.js';
import { SqliteStore, type AlertState } from '../engine/store/index.js';

const ALERTS = Number(process.env['BENCH_ALERTS'] ?? 100_000);
const REQUESTS = Number(process.env['BENCH_REQUESTS'] ?? 300);
const TENANTS = Array.from({ length: 12 }, (_, i) => `town-${String(i).padStart(2, '0')}`);
const SEVERITIES: Severity[] = ['low', 'medium', 'medium', 'high', 'high', 'critical'];
const CLOSED: AlertState[] = ['resolved_true_positive', 'resolved_false_positive', 'duplicate'];
const T0 = Date.UTC(2025, 0, 6);

function fill(store: SqliteStore): void {
  const db = store.database;
  const setState = db.prepare('UPDATE alerts SET state = ?, is_open = 0 WHERE id = ?');
  store.transaction(() => {
    for (let i = 0; i < ALERTS; i++) {
      const tenant = TENANTS[i % TENANTS.length]!;
      const host = `${tenant.toUpperCase()}-PC${String(i % 500).padStart(4, '0')}`;
      const t = T0 + i * 15_000;
      const sev = SEVERITIES[i % SEVERITIES.length]!;
      const chain = [4, 3, 2, 1].map((k) => ({ pid: i * 10 + k, startTimeMs: t - k * 1000, image: `C:\\Windows\\System32\\proc${k}.exe`, commandLine: `proc${k}.exe --n ${i}`, user: 'TOWN\\user' }));
      const id = store.alerts.create({
        tenant, host, sensorId: `s-${host}`, treeKey: `${chain[3]!.pid}:${chain[3]!.startTimeMs}`, firstMs: t, lastMs: t + 2000, title: `Rule ${i % 40} fired`,
        severity: sev, tactic: 'execution', technique: 'T1059.001', source: 'rule', rules: [`rule-${i % 40}`, `rule-${(i + 1) % 40}`], detections: 3, maxScore: null,
        createdMs: t, search: `${tenant} ${host} rule ${i % 40} proc4.exe`.toLowerCase(),
      });
      for (let k = 0; k < 3; k++) {
        const d: Detection = {
          sensorId: `s-${host}`, tenant, host, timeMs: t + k * 1000, source: 'rule', ruleId: `rule-${(i + k) % 40}`, title: `Rule ${(i + k) % 40} fired`, severity: sev, score: null,
          processKey: `${chain[k]!.pid}:${chain[k]!.startTimeMs}`,
          evidence: { tags: ['attack.execution', 'attack.t1059.001'], contentVersion: '1.0.0', seq: i, eventIndex: k, event: { processStart: { image: chain[k]!.image, commandLine: chain[k]!.commandLine } }, ancestry: chain.slice(k) },
        };
        store.detections.insertLinked(d, t, { alertId: id, suppressedBy: null });
      }
      store.alertLog.record(id, t, 'engine', 'created', {});
      if (i % 3 !== 0) setState.run(CLOSED[i % CLOSED.length]!, id);
    }
  });
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! * 100) / 100;
}

async function timed(url: string, token: string, n: number, pick: (i: number) => string): Promise<number[]> {
  const out: number[] = [];
  for (let i = -20; i < n; i++) {
    const t0 = performance.now();
    const res = await fetch(`${url}${pick(i < 0 ? -i : i)}`, { headers: { authorization: `Bearer ${token}` } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${pick(i)} answered ${res.status}`);
    if (i >= 0) out.push(performance.now() - t0);
  }
  return out;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-bench-api-'));
  const store = unwrap(SqliteStore.open(join(dir, 'vigie.db')));
  try {
    const t0 = performance.now();
    fill(store);
    const fillS = (performance.now() - t0) / 1000;
    const access = new AccessService(store);
    for (const t of TENANTS) unwrap(access.createTenant('bench', t, t));
    unwrap(access.createUser('bench', 'svc', 'service_analyst'));
    unwrap(access.createUser('bench', 'ana', 'tenant_analyst', [TENANTS[3]!, TENANTS[7]!]));
    const svc = unwrap(access.issueToken('bench', 'svc', 'bench')).token;
    const ana = unwrap(access.issueToken('bench', 'ana', 'bench')).token;
    const server = await ApiServer.start({ store, log: silentLogger, host: '127.0.0.1', port: 0, extraRoutes: [consoleRoutes] });
    try {
      const id = (i: number) => 1 + ((i * 7919) % ALERTS);
      // Alert i+1 belongs to tenant i % 12: tenant 3's are 4, 16, 28...
      const anaId = (i: number) => 4 + 12 * ((i * 7919) % Math.floor(ALERTS / 12));
      const queue = await timed(server.url, svc, REQUESTS, () => '/api/alerts');
      const alert = await timed(server.url, svc, REQUESTS, (i) => `/api/alerts/${id(i)}`);
      const tenantQueue = await timed(server.url, ana, REQUESTS, () => '/api/alerts');
      const tenantAlert = await timed(server.url, ana, REQUESTS, (i) => `/api/alerts/${anaId(i)}`);
      const search = await timed(server.url, svc, Math.min(REQUESTS, 100), (i) => `/api/alerts?q=pc0${String(i % 500).padStart(3, '0')}`);
      const consoleQueue = await timed(server.url, svc, Math.min(REQUESTS, 100), () => '/console/');
      const consoleAlert = await timed(server.url, svc, Math.min(REQUESTS, 100), (i) => `/console/alerts/${id(i)}`);
      console.log(JSON.stringify({
        alerts: ALERTS, tenants: TENANTS.length, requests: REQUESTS, fill_s: Math.round(fillS * 10) / 10,
        queue_p99_ms: percentile(queue, 99), alert_p99_ms: percentile(alert, 99),
        queue_p50_ms: percentile(queue, 50), alert_p50_ms: percentile(alert, 50),
        tenant_queue_p99_ms: percentile(tenantQueue, 99), tenant_alert_p99_ms: percentile(tenantAlert, 99),
        search_p99_ms: percentile(search, 99), console_queue_p99_ms: percentile(consoleQueue, 99), console_alert_p99_ms: percentile(consoleAlert, 99),
      }));
    } finally {
      await server.close();
    }
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
