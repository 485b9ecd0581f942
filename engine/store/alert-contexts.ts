/**
 * An alert's process context, kept per alert (engine/triage/contexts.ts builds it from the
 * archive). Read only through an alert the caller has already found in its scope, like the
 * alert's history and notes; the body is JSON the triage layer owns.
 */
import type Database from 'better-sqlite3';

export interface StoredContext {
  alertId: number;
  /** The alert's detection count when it was built. */
  detections: number;
  computedMs: number;
  /** False while telemetry of its window could still arrive. */
  complete: boolean;
  source: 'archive' | 'detections';
  body: unknown;
}

interface Row { alert_id: number; detections: number; computed_ms: number; complete: number; source: StoredContext['source']; body: string }

export class AlertContextTable {
  private readonly stmts;

  constructor(db: Database.Database) {
    this.stmts = {
      get: db.prepare('SELECT alert_id, detections, computed_ms, complete, source, body FROM alert_contexts WHERE alert_id = ?'),
      put: db.prepare(`INSERT INTO alert_contexts (alert_id, detections, computed_ms, complete, source, body)
        VALUES (@alertId, @detections, @computedMs, @complete, @source, @body)
        ON CONFLICT(alert_id) DO UPDATE SET detections=excluded.detections, computed_ms=excluded.computed_ms,
          complete=excluded.complete, source=excluded.source, body=excluded.body`),
    };
  }

  get(alertId: number): StoredContext | undefined {
    const r = this.stmts.get.get(alertId) as Row | undefined;
    if (!r) return undefined;
    return { alertId: r.alert_id, detections: r.detections, computedMs: r.computed_ms, complete: r.complete === 1, source: r.source, body: JSON.parse(r.body) as unknown };
  }

  put(c: StoredContext): void {
    this.stmts.put.run({ ...c, complete: c.complete ? 1 : 0, body: JSON.stringify(c.body) });
  }
}
