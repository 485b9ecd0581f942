/**
 * Tables of the rollout store, beside the audit log (rollout/audit, table audit_log) in one
 * SQLite file. Numbered migrations, applied in order; `user_version` is not used because the
 * audit sink shares the file, so the applied number lives in rollout_meta.
 */
export const STORE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS rollout_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE IF NOT EXISTS rollout_bundles (
     sha256 TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, version TEXT NOT NULL,
     path TEXT NOT NULL, manifest TEXT NOT NULL, registered_ms INTEGER NOT NULL, actor TEXT NOT NULL);
   CREATE TABLE IF NOT EXISTS rollout_ga (
     kind TEXT NOT NULL, pos INTEGER NOT NULL, name TEXT NOT NULL, version TEXT NOT NULL, sha256 TEXT NOT NULL,
     ga_ms INTEGER NOT NULL, PRIMARY KEY (kind, pos));
   CREATE TABLE IF NOT EXISTS rollout_rollouts (
     id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, version TEXT NOT NULL, sha256 TEXT NOT NULL,
     previous TEXT NOT NULL, previous_sha256 TEXT NOT NULL, state TEXT NOT NULL, ring INTEGER NOT NULL,
     ring_since_ms INTEGER NOT NULL, created_ms INTEGER NOT NULL, halted_ms INTEGER, halt_reason TEXT,
     gates TEXT NOT NULL, baseline_new TEXT NOT NULL, baseline_old TEXT NOT NULL);
   CREATE TABLE IF NOT EXISTS rollout_tenant_controls (tenant TEXT PRIMARY KEY, control TEXT NOT NULL);
   CREATE TABLE IF NOT EXISTS rollout_rolled_back (pos INTEGER PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, version TEXT NOT NULL);
   CREATE TABLE IF NOT EXISTS rollout_hosts_view (
     rollout TEXT PRIMARY KEY, at_ms INTEGER NOT NULL, hosts_new INTEGER NOT NULL, hosts_old INTEGER NOT NULL,
     hosts_heard INTEGER NOT NULL);`,
];

export interface RolloutRow {
  id: string;
  kind: string;
  name: string;
  version: string;
  sha256: string;
  previous: string;
  previous_sha256: string;
  state: string;
  ring: number;
  ring_since_ms: number;
  created_ms: number;
  halted_ms: number | null;
  halt_reason: string | null;
  gates: string;
  baseline_new: string;
  baseline_old: string;
}

export interface BundleRow {
  sha256: string;
  kind: string;
  name: string;
  version: string;
  path: string;
  manifest: string;
  registered_ms: number;
  actor: string;
}

/**
 * JSON for stored state and audit details. A non-finite number (a gate statistic gone to
 * Infinity) has no JSON form, and the audit's canonical JSON throws on it: kept as a string, so
 * one odd statistic never stops an action or a halt from being saved and audited.
 */
export function jsonSafe<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v))) as T;
}
