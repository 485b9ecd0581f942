/** Where the controller records every action and gate decision (rollout/audit keeps it hash-chained). */
export interface AuditRecord {
  atMs: number;
  /** "controller" for automatic decisions, else the release manager's name. */
  actor: string;
  action: string;
  /** Rollout id, or '' for actions on tenants or keys. */
  rollout: string;
  detail: Record<string, unknown>;
}

export interface AuditWriter {
  append(record: AuditRecord): void;
}
