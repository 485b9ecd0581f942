import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { unwrap } from '../../../common/errors.js';
import { MIGRATIONS } from '../../../engine/store/migrations.js';
import { ALL_TENANTS, SqliteStore } from '../../../engine/store/index.js';
import { AlertGrouper } from '../../../engine/triage/index.js';
import { tempDir } from '../../helpers/fixtures.js';
import { phishing } from '../triage/fixtures.js';

describe('store migrations', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => { dir = tempDir('migrate'); });
  afterEach(() => dir.remove());

  it('upgrades a store written before triage without losing its sensors or detections', () => {
    const path = `${dir.path}/vigie.db`;
    const old = new Database(path);
    old.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_ms INTEGER NOT NULL)');
    for (let i = 0; i < 2; i++) { old.exec(MIGRATIONS[i]!); old.prepare('INSERT INTO schema_migrations VALUES (?, 0)').run(i + 1); }
    old.prepare("INSERT INTO sensors VALUES ('s1', 'beaumont', 'BEAU-PC1', 'key', 1, NULL)").run();
    old.prepare(`INSERT INTO detections (sensor_id, tenant, host, time_ms, source, rule_id, title, severity, score, process_key, evidence, created_ms)
      VALUES ('s1', 'beaumont', 'BEAU-PC1', 5, 'rule', 'r1', 'old one', 'high', NULL, '1:1', '{"tags":[],"ancestry":[]}', 6)`).run();
    old.close();

    const store = unwrap(SqliteStore.open(path));
    try {
      expect(store.sensorById('s1')?.tenant).toBe('beaumont');
      expect(store.detections.list()).toMatchObject([{ ruleId: 'r1', title: 'old one', alertId: null, suppressedBy: null }]);
      const versions = store.database.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[];
      expect(versions.map((v) => v.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
      new AlertGrouper(store, { windowMs: 60_000 }).ingest(phishing());
      expect(store.alerts.list(ALL_TENANTS)).toHaveLength(1);
      expect(store.detections.count()).toBe(5);
    } finally {
      store.close();
    }
  });
});
