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
];
