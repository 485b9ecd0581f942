/**
 * Detections in the SQLite store: written in one transaction per group by the engine (the one
 * writer), listed by the CLI and, later, the API. Evidence is kept as JSON beside the columns
 * that queries filter on.
 */
import type Database from 'better-sqlite3';
import type { Detection, DetectionEvidence } from '../detect/detection.js';

export interface DetectionQuery {
  tenant?: string;
  host?: string;
  sinceMs?: number;
  /** Only these severities. */
  severities?: string[];
  limit?: number;
}

export interface StoredDetection extends Detection {
  id: number;
  createdMs: number;
  /** The alert it was grouped into (engine/triage), null when suppressed or written without triage. */
  alertId: number | null;
  /** The exception that kept it from raising an alert, if any. */
  suppressedBy: number | null;
}

/** Where triage put a detection: into an alert, or suppressed by an exception. */
export interface DetectionLink {
  alertId: number | null;
  suppressedBy: number | null;
}

interface Row {
  id: number; sensor_id: string; tenant: string; host: string; time_ms: number; source: 'rule' | 'model';
  rule_id: string; title: string; severity: Detection['severity']; score: number | null; process_key: string;
  evidence: string; created_ms: number; alert_id: number | null; suppressed_by: number | null;
}

function fromRow(r: Row): StoredDetection {
  return {
    id: r.id, sensorId: r.sensor_id, tenant: r.tenant, host: r.host, timeMs: r.time_ms, source: r.source,
    ruleId: r.rule_id, title: r.title, severity: r.severity, score: r.score, processKey: r.process_key,
    evidence: JSON.parse(r.evidence) as DetectionEvidence, createdMs: r.created_ms,
    alertId: r.alert_id ?? null, suppressedBy: r.suppressed_by ?? null,
  };
}

export class DetectionTable {
  private readonly insert;
  private readonly byAlert;

  constructor(private readonly db: Database.Database) {
    this.insert = db.prepare(`INSERT INTO detections (sensor_id, tenant, host, time_ms, source, rule_id, title, severity, score,
        process_key, evidence, created_ms, alert_id, suppressed_by)
      VALUES (@sensorId, @tenant, @host, @timeMs, @source, @ruleId, @title, @severity, @score, @processKey, @evidence, @createdMs,
        @alertId, @suppressedBy)`);
    this.byAlert = db.prepare('SELECT * FROM detections WHERE alert_id = ? ORDER BY time_ms DESC, id DESC LIMIT ?');
    this.perRule = db.prepare(`SELECT rule_id AS ruleId, COUNT(*) AS count, MIN(time_ms) AS firstMs, MAX(time_ms) AS lastMs,
        MAX(score) AS maxScore, MAX(id) AS lastId FROM detections WHERE alert_id = ? GROUP BY rule_id ORDER BY MIN(time_ms)`);
    this.byId = db.prepare('SELECT * FROM detections WHERE id = ?');
  }

  private readonly perRule;
  private readonly byId;

  /** Per rule (or model) of an alert: how often it fired, when, and its latest detection. */
  ruleSummary(alertId: number): { ruleId: string; count: number; firstMs: number; lastMs: number; maxScore: number | null; latest: StoredDetection }[] {
    const rows = this.perRule.all(alertId) as { ruleId: string; count: number; firstMs: number; lastMs: number; maxScore: number | null; lastId: number }[];
    return rows.map(({ lastId, ...r }) => ({ ...r, latest: fromRow(this.byId.get(lastId) as Row) }));
  }

  /** One detection with its triage link, inside the caller's transaction; returns its id. */
  insertLinked(d: Detection, nowMs: number, link: DetectionLink): number {
    return Number(this.insert.run({ ...d, evidence: JSON.stringify(d.evidence), createdMs: nowMs, ...link }).lastInsertRowid);
  }

  /** The detections grouped into an alert, newest first (the caller has checked the alert is in scope). */
  ofAlert(alertId: number, limit: number): StoredDetection[] {
    return (this.byAlert.all(alertId, limit) as Row[]).map(fromRow);
  }

  add(detections: readonly Detection[], nowMs = Date.now()): void {
    this.db.transaction((list: readonly Detection[]) => {
      for (const d of list) this.insert.run({ ...d, evidence: JSON.stringify(d.evidence), createdMs: nowMs, alertId: null, suppressedBy: null });
    })(detections);
  }

  /** Newest first. */
  list(q: DetectionQuery = {}): StoredDetection[] {
    const where: string[] = [];
    const args: Record<string, unknown> = {};
    if (q.tenant !== undefined) { where.push('tenant = @tenant'); args['tenant'] = q.tenant; }
    if (q.host !== undefined) { where.push('host = @host'); args['host'] = q.host; }
    if (q.sinceMs !== undefined) { where.push('time_ms >= @since'); args['since'] = q.sinceMs; }
    if (q.severities?.length) {
      where.push(`severity IN (${q.severities.map((_, i) => `@sev${i}`).join(', ')})`);
      q.severities.forEach((s, i) => { args[`sev${i}`] = s; });
    }
    args['limit'] = q.limit ?? 100;
    const sql = `SELECT * FROM detections ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY time_ms DESC, id DESC LIMIT @limit`;
    return (this.db.prepare(sql).all(args) as Row[]).map(fromRow);
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM detections').get() as { n: number }).n;
  }
}
