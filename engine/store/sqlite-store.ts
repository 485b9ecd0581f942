/**
 * The engine's SQLite store (WAL): enrolled sensors, their health, detections, and the triage
 * and access tables (alerts, exceptions, tenants, users, tokens: see their files).
 * One writer (the engine process); the CLI opens the same file for enrolment and queries.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fail, ok, type Result } from '../../common/errors.js';
import type { Heartbeat } from '../../common/events.js';
import { AccessTables } from './access-tables.js';
import { AlertContextTable } from './alert-contexts.js';
import { AlertLog } from './alert-log.js';
import { AlertTable } from './alerts.js';
import { DetectionTable } from './detections.js';
import { ExceptionTable } from './exceptions.js';
import { HostQueries } from './hosts.js';
import { MIGRATIONS } from './migrations.js';

export interface SensorRecord {
  sensorId: string;
  tenant: string;
  host: string;
  publicKey: string;
  enrolledMs: number;
  revokedMs: number | null;
  /** Enrolment labels (rollout gates): site and hardware/OS group; null when not given. */
  site?: string | null;
  group?: string | null;
}

export interface SensorStatus {
  sensorId: string;
  lastSeenMs: number;
  heartbeatMs: number | null;
  eventsCollected: number | null;
  eventsDropped: number | null;
  batchesDropped: number | null;
  spoolBytes: number | null;
  spoolBatches: number | null;
  collectorMode: string | null;
  lastSeq: number | null;
  contentVersion: string | null;
  contentFailuresTotal: number | null;
  /** JSON of the sensor's most recent ContentFailure, if any was ever reported. */
  lastContentFailure: string | null;
  signatureHits: number | null;
  eventsUnmatched: number | null;
}

export class SqliteStore {
  private readonly db: Database.Database;
  private readonly stmts;
  readonly detections: DetectionTable;
  readonly alerts: AlertTable;
  readonly alertLog: AlertLog;
  readonly alertContexts: AlertContextTable;
  readonly exceptions: ExceptionTable;
  readonly access: AccessTables;
  readonly hosts: HostQueries;

  private constructor(db: Database.Database) {
    this.db = db;
    this.detections = new DetectionTable(db);
    this.alerts = new AlertTable(db);
    this.alertLog = new AlertLog(db);
    this.alertContexts = new AlertContextTable(db);
    this.exceptions = new ExceptionTable(db);
    this.access = new AccessTables(db);
    this.hosts = new HostQueries(db);
    this.stmts = {
      enroll: db.prepare(`INSERT INTO sensors (sensor_id, tenant, host, public_key, enrolled_ms, revoked_ms, site, hw_group)
        VALUES (@sensorId, @tenant, @host, @publicKey, @enrolledMs, NULL, @site, @group)
        ON CONFLICT(sensor_id) DO UPDATE SET tenant=excluded.tenant, host=excluded.host,
          public_key=excluded.public_key, enrolled_ms=excluded.enrolled_ms, revoked_ms=NULL, site=excluded.site, hw_group=excluded.hw_group`),
      labels: db.prepare('SELECT site, hw_group AS "group" FROM sensors WHERE sensor_id = ?'),
      revoke: db.prepare('UPDATE sensors SET revoked_ms = ? WHERE sensor_id = ? AND revoked_ms IS NULL'),
      byKey: db.prepare('SELECT sensor_id AS sensorId, tenant, host, public_key AS publicKey, enrolled_ms AS enrolledMs, revoked_ms AS revokedMs FROM sensors WHERE public_key = ?'),
      byId: db.prepare('SELECT sensor_id AS sensorId, tenant, host, public_key AS publicKey, enrolled_ms AS enrolledMs, revoked_ms AS revokedMs FROM sensors WHERE sensor_id = ?'),
      all: db.prepare('SELECT sensor_id AS sensorId, tenant, host, public_key AS publicKey, enrolled_ms AS enrolledMs, revoked_ms AS revokedMs FROM sensors ORDER BY sensor_id'),
      seen: db.prepare(`INSERT INTO sensor_status (sensor_id, last_seen_ms) VALUES (?, ?)
        ON CONFLICT(sensor_id) DO UPDATE SET last_seen_ms = excluded.last_seen_ms`),
      heartbeat: db.prepare(`INSERT INTO sensor_status (sensor_id, last_seen_ms, heartbeat_ms, sensor_version, content_version,
          collector_mode, uptime_s, cpu_percent, rss_bytes, spool_bytes, spool_batches, events_collected, events_dropped,
          batches_dropped, last_seq, restarts, errors_json, content_failures_total, last_content_failure, signature_hits,
          events_unmatched)
        VALUES (@sensorId, @now, @sentMs, @sensorVersion, @contentVersion, @collectorMode, @uptimeS, @cpuPercent, @rssBytes,
          @spoolBytes, @spoolBatches, @eventsCollected, @eventsDropped, @batchesDropped, @lastSeq, @restarts, @errors,
          @contentFailuresTotal, @lastContentFailure, @signatureHits, @eventsUnmatched)
        ON CONFLICT(sensor_id) DO UPDATE SET last_seen_ms=excluded.last_seen_ms, heartbeat_ms=excluded.heartbeat_ms,
          sensor_version=excluded.sensor_version, content_version=excluded.content_version,
          collector_mode=excluded.collector_mode, uptime_s=excluded.uptime_s, cpu_percent=excluded.cpu_percent,
          rss_bytes=excluded.rss_bytes, spool_bytes=excluded.spool_bytes, spool_batches=excluded.spool_batches,
          events_collected=excluded.events_collected, events_dropped=excluded.events_dropped,
          batches_dropped=excluded.batches_dropped, last_seq=excluded.last_seq, restarts=excluded.restarts,
          errors_json=excluded.errors_json, content_failures_total=excluded.content_failures_total,
          last_content_failure=COALESCE(excluded.last_content_failure, sensor_status.last_content_failure),
          signature_hits=excluded.signature_hits, events_unmatched=excluded.events_unmatched
        WHERE excluded.heartbeat_ms >= COALESCE(sensor_status.heartbeat_ms, 0)`),
      status: db.prepare(`SELECT sensor_id AS sensorId, last_seen_ms AS lastSeenMs, heartbeat_ms AS heartbeatMs,
          events_collected AS eventsCollected, events_dropped AS eventsDropped, batches_dropped AS batchesDropped,
          spool_bytes AS spoolBytes, spool_batches AS spoolBatches, collector_mode AS collectorMode, last_seq AS lastSeq,
          content_version AS contentVersion, content_failures_total AS contentFailuresTotal,
          last_content_failure AS lastContentFailure, signature_hits AS signatureHits, events_unmatched AS eventsUnmatched
        FROM sensor_status ORDER BY sensor_id`),
    };
  }

  static open(path: string): Result<SqliteStore> {
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      const db = new Database(path);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 5000');
      db.pragma('foreign_keys = ON');
      migrate(db);
      return ok(new SqliteStore(db));
    } catch (e) {
      return fail('VIGIE_STORE_IO', (e as Error).message, { file: path });
    }
  }

  /** A sensor's enrolment labels (site, hardware/OS group), undefined where not given. */
  sensorLabels(sensorId: string): { site?: string; group?: string } | undefined {
    const row = this.stmts.labels.get(sensorId) as { site: string | null; group: string | null } | undefined;
    if (!row) return undefined;
    return { ...(row.site ? { site: row.site } : {}), ...(row.group ? { group: row.group } : {}) };
  }

  enroll(sensor: Omit<SensorRecord, 'revokedMs'>): void {
    this.stmts.enroll.run(withLabels(sensor));
  }

  /** Returns false when the sensor is unknown or already revoked. */
  revoke(sensorId: string, nowMs: number): boolean {
    return this.stmts.revoke.run(nowMs, sensorId).changes > 0;
  }

  sensorByKey(publicKey: string): SensorRecord | undefined {
    return this.stmts.byKey.get(publicKey) as SensorRecord | undefined;
  }

  sensorById(sensorId: string): SensorRecord | undefined {
    return this.stmts.byId.get(sensorId) as SensorRecord | undefined;
  }

  sensors(): SensorRecord[] {
    return this.stmts.all.all() as SensorRecord[];
  }

  /** Enrols many sensors in one transaction (the simulated fleet). */
  enrollMany(sensors: Omit<SensorRecord, 'revokedMs'>[]): void {
    this.db.transaction((list: typeof sensors) => { for (const s of list) this.stmts.enroll.run(withLabels(s)); })(sensors);
  }

  /** Records heartbeats in one transaction; older heartbeats never overwrite newer ones. */
  recordHeartbeats(items: { sensorId: string; hb: Heartbeat; nowMs: number }[]): void {
    this.db.transaction((list: typeof items) => {
      for (const { sensorId, hb, nowMs } of list) {
        this.stmts.heartbeat.run({
          sensorId, now: nowMs, sentMs: hb.sentMs ?? 0, sensorVersion: hb.sensorVersion ?? '',
          contentVersion: hb.contentVersion ?? '', collectorMode: hb.collectorMode ?? '', uptimeS: hb.uptimeS ?? 0,
          cpuPercent: hb.cpuPercent ?? 0, rssBytes: hb.rssBytes ?? 0, spoolBytes: hb.spoolBytes ?? 0,
          spoolBatches: hb.spoolBatches ?? 0, eventsCollected: hb.eventsCollected ?? 0,
          eventsDropped: hb.eventsDropped ?? 0, batchesDropped: hb.batchesDropped ?? 0, lastSeq: hb.lastSeq ?? 0,
          restarts: hb.restarts ?? 0, errors: JSON.stringify(hb.errors ?? []),
          contentFailuresTotal: hb.contentFailuresTotal ?? 0, signatureHits: hb.signatureHits ?? 0,
          eventsUnmatched: hb.eventsUnmatched ?? 0,
          lastContentFailure: hb.contentFailures?.length ? JSON.stringify(hb.contentFailures[hb.contentFailures.length - 1]) : null,
        });
      }
    })(items);
  }

  markSeen(sensorIds: Iterable<string>, nowMs: number): void {
    this.db.transaction(() => { for (const id of sensorIds) this.stmts.seen.run(id, nowMs); })();
  }

  statuses(): SensorStatus[] {
    return this.stmts.status.all() as SensorStatus[];
  }

  /** Runs `fn` in one transaction. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  get database(): Database.Database {
    return this.db;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_ms INTEGER NOT NULL)');
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  const current = row.v ?? 0;
  for (let i = current; i < MIGRATIONS.length; i++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[i]!);
      db.prepare('INSERT INTO schema_migrations (version, applied_ms) VALUES (?, ?)').run(i + 1, Date.now());
    })();
  }
}

function withLabels(s: Omit<SensorRecord, 'revokedMs'>): Omit<SensorRecord, 'revokedMs'> & { site: string | null; group: string | null } {
  return { ...s, site: s.site ?? null, group: s.group ?? null };
}
