/**
 * Alerts (incidents) in the SQLite store: detections of one host and process tree grouped by
 * engine/triage. Every read takes the caller's TenantScope and filters by tenant in SQL; a row of
 * another tenant is never read, so it cannot leak through a later bug in the caller.
 */
import type Database from 'better-sqlite3';
import type { Severity } from '../detect/detection.js';
import { scopeCondition, type TenantScope } from './scope.js';

export const ALERT_STATES = ['new', 'acknowledged', 'in_progress', 'resolved_true_positive', 'resolved_false_positive', 'duplicate'] as const;
export type AlertState = (typeof ALERT_STATES)[number];
export const OPEN_STATES: readonly AlertState[] = ['new', 'acknowledged', 'in_progress'];

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { informational: 0, low: 1, medium: 2, high: 3, critical: 4 };

/**
 * The queue's order: the severity rank (0-4), plus 1 when a signature rule fired (a known-bad
 * pattern, not only something unusual), plus 1 when two or more distinct rules or models agree.
 * Corroborated alerts come before a lone model detection of the same or the next severity.
 */
export function priorityOf(severity: Severity, source: AlertRecord['source'], distinctRules: number): number {
  return SEVERITY_RANK[severity] + (source === 'model' ? 0 : 1) + (distinctRules >= 2 ? 1 : 0);
}

export interface AlertRecord {
  id: number;
  tenant: string;
  host: string;
  sensorId: string;
  treeKey: string;
  firstMs: number;
  lastMs: number;
  title: string;
  severity: Severity;
  tactic: string;
  technique: string;
  source: 'rule' | 'model' | 'mixed';
  rules: string[];
  detections: number;
  maxScore: number | null;
  state: AlertState;
  assignee: string | null;
  duplicateOf: number | null;
  createdMs: number;
  updatedMs: number;
}

/** What grouping writes: everything but the id and the triage fields. */
export type AlertDraft = Omit<AlertRecord, 'id' | 'state' | 'assignee' | 'duplicateOf' | 'updatedMs'> & { search: string };

export interface AlertFilter {
  /** Only these states; default: the open ones (new, acknowledged, in_progress). */
  states?: readonly AlertState[];
  severities?: readonly Severity[];
  tenant?: string;
  host?: string;
  assignee?: string;
  /** Case-insensitive substring of the title, host, rule ids and images. */
  q?: string;
  limit?: number;
  offset?: number;
}

interface Row {
  id: number; tenant: string; host: string; sensor_id: string; tree_key: string; first_ms: number; last_ms: number;
  title: string; severity: Severity; tactic: string; technique: string; source: AlertRecord['source']; rules: string;
  detections: number; max_score: number | null; state: AlertState; assignee: string | null; duplicate_of: number | null;
  created_ms: number; updated_ms: number;
}

const COLUMNS = 'id, tenant, host, sensor_id, tree_key, first_ms, last_ms, title, severity, tactic, technique, source, rules, detections, max_score, state, assignee, duplicate_of, created_ms, updated_ms';

function fromRow(r: Row): AlertRecord {
  return {
    id: r.id, tenant: r.tenant, host: r.host, sensorId: r.sensor_id, treeKey: r.tree_key, firstMs: r.first_ms, lastMs: r.last_ms,
    title: r.title, severity: r.severity, tactic: r.tactic, technique: r.technique, source: r.source, rules: JSON.parse(r.rules) as string[],
    detections: r.detections, maxScore: r.max_score, state: r.state, assignee: r.assignee, duplicateOf: r.duplicate_of,
    createdMs: r.created_ms, updatedMs: r.updated_ms,
  };
}

export class AlertTable {
  private readonly stmts;
  /** Queries built from filters, prepared once per distinct SQL text (a handful in practice). */
  private readonly prepared = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {
    this.stmts = {
      insert: db.prepare(`INSERT INTO alerts (tenant, host, sensor_id, tree_key, first_ms, last_ms, title, severity, severity_rank,
          priority, tactic, technique, source, rules, detections, max_score, state, is_open, assignee, duplicate_of, created_ms, updated_ms, search)
        VALUES (@tenant, @host, @sensorId, @treeKey, @firstMs, @lastMs, @title, @severity, @rank, @priority, @tactic, @technique, @source,
          @rules, @detections, @maxScore, 'new', 1, NULL, NULL, @createdMs, @createdMs, @search)`),
      grow: db.prepare(`UPDATE alerts SET first_ms=@firstMs, last_ms=@lastMs, title=@title, severity=@severity, severity_rank=@rank, priority=@priority,
          tactic=@tactic, technique=@technique, source=@source, rules=@rules, detections=@detections, max_score=@maxScore,
          search=@search WHERE id=@id`),
      near: db.prepare(`SELECT ${COLUMNS}, search FROM alerts WHERE tenant = ? AND host = ? AND is_open = 1 AND last_ms >= ? AND first_ms <= ?
          ORDER BY last_ms DESC LIMIT 50`),
      triage: db.prepare(`UPDATE alerts SET state=@state, is_open=@open, assignee=@assignee, duplicate_of=@duplicateOf, updated_ms=@now
          WHERE id=@id`),
      stateCounts: db.prepare('SELECT state, COUNT(*) AS n FROM alerts GROUP BY state'),
    };
  }

  /** Open alerts of a host whose time span comes within reach of [fromMs, toMs] (grouping candidates). */
  openNear(tenant: string, host: string, fromMs: number, toMs: number): (AlertRecord & { search: string })[] {
    return (this.stmts.near.all(tenant, host, fromMs, toMs) as (Row & { search: string })[]).map((r) => ({ ...fromRow(r), search: r.search }));
  }

  create(a: AlertDraft): number {
    return Number(this.stmts.insert.run({ ...a, rank: SEVERITY_RANK[a.severity], priority: priorityOf(a.severity, a.source, a.rules.length), rules: JSON.stringify(a.rules) }).lastInsertRowid);
  }

  /** Writes what a new detection changed (span, counts, severity, rules); the triage fields stay. */
  grow(id: number, a: Omit<AlertDraft, 'tenant' | 'host' | 'sensorId' | 'treeKey' | 'createdMs'>): void {
    this.stmts.grow.run({ ...a, id, rank: SEVERITY_RANK[a.severity], priority: priorityOf(a.severity, a.source, a.rules.length), rules: JSON.stringify(a.rules) });
  }

  setTriage(id: number, t: { state: AlertState; assignee: string | null; duplicateOf: number | null }, nowMs: number): void {
    this.stmts.triage.run({ id, state: t.state, open: OPEN_STATES.includes(t.state) ? 1 : 0, assignee: t.assignee, duplicateOf: t.duplicateOf, now: nowMs });
  }

  /** The alert if it exists and is in scope; another tenant's alert is exactly as absent as a missing one. */
  get(scope: TenantScope, id: number): AlertRecord | undefined {
    const args: Record<string, unknown> = { id };
    const row = this.statement(`SELECT ${COLUMNS} FROM alerts WHERE id = @id AND ${scopeCondition(scope, 'tenant', args)}`).get(args) as Row | undefined;
    return row ? fromRow(row) : undefined;
  }

  /** The queue: highest priority (priorityOf) first, then most severe, then most recent. Returns one row more than `limit` when there are more. */
  list(scope: TenantScope, f: AlertFilter = {}): AlertRecord[] {
    const args: Record<string, unknown> = {};
    const where = [scopeCondition(scope, 'tenant', args)];
    const states = f.states ?? OPEN_STATES;
    if (states.length === OPEN_STATES.length && OPEN_STATES.every((s) => states.includes(s))) where.push('is_open = 1');
    else if (states.length < ALERT_STATES.length) where.push(listIn('state', 'st', states, args));
    if (f.severities?.length) where.push(listIn('severity', 'sev', f.severities, args));
    if (f.tenant !== undefined) { where.push('tenant = @tenant'); args['tenant'] = f.tenant; }
    if (f.host !== undefined) { where.push('host = @host'); args['host'] = f.host; }
    if (f.assignee !== undefined) { where.push('assignee = @assignee'); args['assignee'] = f.assignee; }
    if (f.q) {
      const q = f.q.toLowerCase();
      // Three characters or more and no LIKE wildcard: the trigram index (alerts_search) finds the rows.
      if (q.length >= 3 && !/[\\%_]/.test(q)) where.push('id IN (SELECT rowid FROM alerts_search WHERE search LIKE @q)');
      else where.push("search LIKE @q ESCAPE '\\'");
      args['q'] = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    }
    args['limit'] = (f.limit ?? 50) + 1;
    args['offset'] = f.offset ?? 0;
    const sql = `SELECT ${COLUMNS} FROM alerts WHERE ${where.join(' AND ')} ORDER BY priority DESC, severity_rank DESC, last_ms DESC, id DESC LIMIT @limit OFFSET @offset`;
    return (this.statement(sql).all(args) as Row[]).map(fromRow);
  }

  /** Open alerts per tenant and severity, in scope (the fleet page, /metrics). */
  openCounts(scope: TenantScope): { tenant: string; severity: Severity; n: number }[] {
    const args: Record<string, unknown> = {};
    return this.statement(`SELECT tenant, severity, COUNT(*) AS n FROM alerts WHERE is_open = 1 AND ${scopeCondition(scope, 'tenant', args)}
      GROUP BY tenant, severity ORDER BY tenant`).all(args) as { tenant: string; severity: Severity; n: number }[];
  }

  /** Every state and its count, all tenants: for /metrics only (no tenant data). */
  stateCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.stmts.stateCounts.all() as { state: string; n: number }[]) out[r.state] = r.n;
    return out;
  }

  private statement(sql: string): Database.Statement {
    let s = this.prepared.get(sql);
    if (!s) {
      if (this.prepared.size > 256) this.prepared.clear(); // bounded: filters combine in few ways
      s = this.db.prepare(sql);
      this.prepared.set(sql, s);
    }
    return s;
  }
}

function listIn(column: string, prefix: string, values: readonly string[], args: Record<string, unknown>): string {
  if (values.length === 0) return '0';
  values.forEach((v, i) => { args[`${prefix}${i}`] = v; });
  return `${column} IN (${values.map((_, i) => `@${prefix}${i}`).join(', ')})`;
}
