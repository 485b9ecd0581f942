/** alert_contexts (migration 5): added to a store of version 4 with its alerts, kept and replaced per alert. */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { unwrap } from '../../../common/errors.js';
import { MIGRATIONS } from '../../../engine/store/migrations.js';
import { ALL_TENANTS, SqliteStore } from '../../../engine/store/index.js';
import { AlertGrouper } from '../../../engine/triage/index.js';
import { tempDir } from '../../helpers/fixtures.js';
import { phishing } from '../triage/fixtures.js';

describe('alert contexts table', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => { dir = tempDir('contexts-table'); });
  afterEach(() => dir.remove());

  it('is added to a version 4 store, and keeps one context per alert, replaced when rebuilt', () => {
    const path = `${dir.path}/vigie.db`;
    const old = new Database(path);
    old.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_ms INTEGER NOT NULL)');
    for (let i = 0; i < 4; i++) { old.exec(MIGRATIONS[i]!); old.prepare('INSERT INTO schema_migrations VALUES (?, 0)').run(i + 1); }
    old.close();

    const store = unwrap(SqliteStore.open(path));
    try {
      new AlertGrouper(store, { windowMs: 60_000 }).ingest(phishing());
      const id = store.alerts.list(ALL_TENANTS)[0]!.id;
      expect(store.alertContexts.get(id)).toBeUndefined();
      store.alertContexts.put({ alertId: id, detections: 4, computedMs: 10, complete: false, source: 'archive', body: { tree: { roots: [] }, note: 'a' } });
      expect(store.alertContexts.get(id)).toEqual({ alertId: id, detections: 4, computedMs: 10, complete: false, source: 'archive', body: { tree: { roots: [] }, note: 'a' } });
      store.alertContexts.put({ alertId: id, detections: 5, computedMs: 20, complete: true, source: 'archive', body: { note: 'b' } });
      expect(store.alertContexts.get(id)).toMatchObject({ detections: 5, computedMs: 20, complete: true, body: { note: 'b' } });
      expect((store.database.prepare('SELECT COUNT(*) AS n FROM alert_contexts').get() as { n: number }).n).toBe(1);
      // Only for an alert that exists.
      expect(() => store.alertContexts.put({ alertId: 999, detections: 1, computedMs: 1, complete: true, source: 'archive', body: {} })).toThrow(/FOREIGN KEY/);
    } finally {
      store.close();
    }
  });
});
