/**
 * Opens a SQLite file the way every Vigie store does: its directory created, WAL (readers never
 * wait on the writer), and a busy timeout so that two processes on one file (the CLI and a running
 * service) wait for each other's transaction instead of failing.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export function openSqlite(file: string): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}
