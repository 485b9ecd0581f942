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
}

interface Row {
  id: number; sensor_id: string; tenant: string; host: string; time_ms: number; source: 'rule' | 'model';
  rule_id: string; title: string; severity: Detection['severity']; score: number | null; process_key: string;
  evidence: string; created_ms: number;
}

export class DetectionTable {
  private readonly insert;

  constructor(private readonly db: Database.Database) {
    this.insert = db.prepare(`INSERT INTO detections (sensor_id, tenant, host, time_ms, source, rule_id, title, severity, score,
        process_key, evidence, created_ms)
      VALUES (@sensorId, @tenant, @host, @timeMs, @source, @ruleId, @title, @severity, @score, @processKey, @evidence, @createdMs)`);
  }

  add(detections: readonly Detection[], nowMs = Date.now()): void {
    this.db.transaction((list: readonly Detection[]) => {
      for (const d of list) this.insert.run({ ...d, evidence: JSON.stringify(d.evidence), createdMs: nowMs });
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
    return (this.db.prepare(sql).all(args) as Row[]).map((r) => ({
      id: r.id, sensorId: r.sensor_id, tenant: r.tenant, host: r.host, timeMs: r.time_ms, source: r.source,
      ruleId: r.rule_id, title: r.title, severity: r.severity, score: r.score, processKey: r.process_key,
      evidence: JSON.parse(r.evidence) as DetectionEvidence, createdMs: r.created_ms,
    }));
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM detections').get() as { n: number }).n;
  }
}
