/** SQLite schema, as an ordered list of migrations. Append, never edit a shipped one. */
export const MIGRATIONS: readonly string[] = [
  // 1: enrolled sensors, their latest heartbeat, and detections (filled by signature and model stages).
  `CREATE TABLE sensors (
     sensor_id   TEXT PRIMARY KEY,
     tenant      TEXT NOT NULL,
     host        TEXT NOT NULL,
     public_key  TEXT NOT NULL UNIQUE,
     enrolled_ms INTEGER NOT NULL,
     revoked_ms  INTEGER
   );
   CREATE TABLE sensor_status (
     sensor_id        TEXT PRIMARY KEY REFERENCES sensors(sensor_id),
     last_seen_ms     INTEGER NOT NULL,
     heartbeat_ms     INTEGER,
     sensor_version   TEXT,
     content_version  TEXT,
     collector_mode   TEXT,
     uptime_s         REAL,
     cpu_percent      REAL,
     rss_bytes        INTEGER,
     spool_bytes      INTEGER,
     spool_batches    INTEGER,
     events_collected INTEGER,
     events_dropped   INTEGER,
     batches_dropped  INTEGER,
     last_seq         INTEGER,
     restarts         INTEGER,
     errors_json      TEXT
   );
   CREATE TABLE detections (
     id           INTEGER PRIMARY KEY,
     sensor_id    TEXT NOT NULL,
     tenant       TEXT NOT NULL,
     host         TEXT NOT NULL,
     time_ms      INTEGER NOT NULL,
     source       TEXT NOT NULL,          -- 'rule' or 'model'
     rule_id      TEXT NOT NULL,          -- rule id or model name@version
     title        TEXT NOT NULL,
     severity     TEXT NOT NULL,
     score        REAL,
     process_key  TEXT,
     evidence     TEXT NOT NULL,          -- JSON: ancestry, peers, raw events, contributions
     created_ms   INTEGER NOT NULL
   );
   CREATE INDEX detections_time ON detections(tenant, time_ms DESC);`,
  // 2: content health in heartbeats (signature packs unloaded, hits), detections by time.
  `ALTER TABLE sensor_status ADD COLUMN content_failures_total INTEGER;
   ALTER TABLE sensor_status ADD COLUMN last_content_failure TEXT;
   ALTER TABLE sensor_status ADD COLUMN signature_hits INTEGER;
   ALTER TABLE sensor_status ADD COLUMN events_unmatched INTEGER;
   CREATE INDEX detections_all_time ON detections(time_ms DESC);`,
  // 3: triage (alerts grouping detections, their history and notes, exceptions) and access
  // (tenants, users and their roles, hashed API tokens, the audit of access changes).
  // Detections keep every row; alert_id links a row to the alert it was grouped into, and
  // suppressed_by to the exception that kept it from raising one.
  `ALTER TABLE detections ADD COLUMN alert_id INTEGER;
   ALTER TABLE detections ADD COLUMN suppressed_by INTEGER;
   CREATE INDEX detections_alert ON detections(alert_id, time_ms DESC) WHERE alert_id IS NOT NULL;
   CREATE TABLE alerts (
     id            INTEGER PRIMARY KEY,
     tenant        TEXT NOT NULL,
     host          TEXT NOT NULL,
     sensor_id     TEXT NOT NULL,
     tree_key      TEXT NOT NULL,      -- process key of the tree's root (see engine/triage/grouping.ts)
     first_ms      INTEGER NOT NULL,
     last_ms       INTEGER NOT NULL,
     title         TEXT NOT NULL,
     severity      TEXT NOT NULL,
     severity_rank INTEGER NOT NULL,   -- 0 informational .. 4 critical
     priority      INTEGER NOT NULL,   -- queue order: severity rank + corroboration (alerts.ts priorityOf)
     tactic        TEXT NOT NULL,
     technique     TEXT NOT NULL,
     source        TEXT NOT NULL,      -- rule | model | mixed
     rules         TEXT NOT NULL,      -- JSON array of the distinct rule ids / model names
     detections    INTEGER NOT NULL,   -- detections grouped here, repeats included
     max_score     REAL,
     state         TEXT NOT NULL,
     is_open       INTEGER NOT NULL,   -- 1 while new, acknowledged or in_progress
     assignee      TEXT,
     duplicate_of  INTEGER,
     created_ms    INTEGER NOT NULL,
     updated_ms    INTEGER NOT NULL,
     search        TEXT NOT NULL       -- lower case: title, host, rules, images (queue search)
   );
   CREATE INDEX alerts_queue ON alerts(is_open, priority DESC, severity_rank DESC, last_ms DESC, id DESC);
   CREATE INDEX alerts_tenant_queue ON alerts(tenant, is_open, priority DESC, severity_rank DESC, last_ms DESC, id DESC);
   CREATE INDEX alerts_host ON alerts(tenant, host, last_ms DESC);
   -- The queue's search: a trigram index of alerts.search, so that substring search uses an index.
   CREATE VIRTUAL TABLE alerts_search USING fts5(search, content='alerts', content_rowid='id', tokenize='trigram');
   CREATE TRIGGER alerts_search_insert AFTER INSERT ON alerts BEGIN
     INSERT INTO alerts_search(rowid, search) VALUES (new.id, new.search);
   END;
   CREATE TRIGGER alerts_search_update AFTER UPDATE OF search ON alerts WHEN old.search <> new.search BEGIN
     INSERT INTO alerts_search(alerts_search, rowid, search) VALUES ('delete', old.id, old.search);
     INSERT INTO alerts_search(rowid, search) VALUES (new.id, new.search);
   END;
   CREATE TRIGGER alerts_search_delete AFTER DELETE ON alerts BEGIN
     INSERT INTO alerts_search(alerts_search, rowid, search) VALUES ('delete', old.id, old.search);
   END;
   CREATE TABLE alert_history (
     id        INTEGER PRIMARY KEY,
     alert_id  INTEGER NOT NULL REFERENCES alerts(id),
     time_ms   INTEGER NOT NULL,
     actor     TEXT NOT NULL,
     action    TEXT NOT NULL,
     detail    TEXT NOT NULL           -- JSON: from/to state, assignee, note id, exception id...
   );
   CREATE INDEX alert_history_alert ON alert_history(alert_id, id);
   CREATE TABLE alert_notes (
     id        INTEGER PRIMARY KEY,
     alert_id  INTEGER NOT NULL REFERENCES alerts(id),
     time_ms   INTEGER NOT NULL,
     author    TEXT NOT NULL,
     text      TEXT NOT NULL
   );
   CREATE INDEX alert_notes_alert ON alert_notes(alert_id, id);
   CREATE TABLE exceptions (
     id           INTEGER PRIMARY KEY,
     tenant       TEXT,                -- NULL: every tenant (service-wide roles only)
     rule_id      TEXT,
     host         TEXT,
     image        TEXT,                -- glob, case-insensitive, on the path or its last part
     command_line TEXT,                -- glob, case-insensitive
     author       TEXT NOT NULL,
     reason       TEXT NOT NULL,
     created_ms   INTEGER NOT NULL,
     expires_ms   INTEGER NOT NULL,
     revoked_ms   INTEGER,
     revoked_by   TEXT,
     from_alert   INTEGER,
     hits         INTEGER NOT NULL DEFAULT 0,
     last_hit_ms  INTEGER
   );
   CREATE TABLE tenants (
     id         TEXT PRIMARY KEY,
     name       TEXT NOT NULL,
     created_ms INTEGER NOT NULL
   );
   CREATE TABLE users (
     name        TEXT PRIMARY KEY,
     role        TEXT NOT NULL,
     created_ms  INTEGER NOT NULL,
     disabled_ms INTEGER
   );
   CREATE TABLE user_tenants (
     user_name TEXT NOT NULL REFERENCES users(name),
     tenant    TEXT NOT NULL REFERENCES tenants(id),
     PRIMARY KEY (user_name, tenant)
   );
   CREATE TABLE api_tokens (
     id           TEXT PRIMARY KEY,     -- public handle, shown in lists
     user_name    TEXT NOT NULL REFERENCES users(name),
     hash         TEXT NOT NULL UNIQUE, -- sha256 (hex) of the whole token; the token is never stored
     label        TEXT NOT NULL,
     created_ms   INTEGER NOT NULL,
     expires_ms   INTEGER,
     revoked_ms   INTEGER,
     last_used_ms INTEGER
   );
   CREATE TABLE access_audit (
     id      INTEGER PRIMARY KEY,
     time_ms INTEGER NOT NULL,
     actor   TEXT NOT NULL,
     action  TEXT NOT NULL,
     target  TEXT NOT NULL,
     detail  TEXT NOT NULL            -- JSON
   );`,
  // 4: enrolment labels the rollout gates compare by: the host's site (a site's outage is not
  // blamed on an update) and its hardware and OS group (CPU and memory are compared within one).
  `ALTER TABLE sensors ADD COLUMN site TEXT;
   ALTER TABLE sensors ADD COLUMN hw_group TEXT;`,
  // 5: an alert's process context (ancestors, siblings, children from the raw-batch archive), built
  // once and kept so the alert page need not read the archive again (engine/triage/contexts.ts).
  `CREATE TABLE alert_contexts (
     alert_id    INTEGER PRIMARY KEY REFERENCES alerts(id),
     detections  INTEGER NOT NULL,     -- the alert's detection count it was built for: more means rebuild
     computed_ms INTEGER NOT NULL,
     complete    INTEGER NOT NULL,     -- 0 while telemetry of its window could still arrive
     source      TEXT NOT NULL,        -- archive | detections
     body        TEXT NOT NULL         -- JSON: the tree, its window and notes
   );`,
];
