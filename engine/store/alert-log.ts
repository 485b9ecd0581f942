/**
 * What people did to an alert: its history (who changed what, when) and its notes. Append-only;
 * read only through an alert the caller has already found in its scope.
 */
import type Database from 'better-sqlite3';

export interface HistoryEntry {
  id: number;
  alertId: number;
  timeMs: number;
  actor: string;
  action: string;
  detail: Record<string, unknown>;
}

export interface Note {
  id: number;
  alertId: number;
  timeMs: number;
  author: string;
  text: string;
}

export class AlertLog {
  private readonly stmts;

  constructor(db: Database.Database) {
    this.stmts = {
      history: db.prepare('INSERT INTO alert_history (alert_id, time_ms, actor, action, detail) VALUES (?, ?, ?, ?, ?)'),
      note: db.prepare('INSERT INTO alert_notes (alert_id, time_ms, author, text) VALUES (?, ?, ?, ?)'),
      historyOf: db.prepare('SELECT id, alert_id AS alertId, time_ms AS timeMs, actor, action, detail FROM alert_history WHERE alert_id = ? ORDER BY id'),
      notesOf: db.prepare('SELECT id, alert_id AS alertId, time_ms AS timeMs, author, text FROM alert_notes WHERE alert_id = ? ORDER BY id'),
    };
  }

  record(alertId: number, timeMs: number, actor: string, action: string, detail: Record<string, unknown> = {}): void {
    this.stmts.history.run(alertId, timeMs, actor, action, JSON.stringify(detail));
  }

  addNote(alertId: number, timeMs: number, author: string, text: string): number {
    return Number(this.stmts.note.run(alertId, timeMs, author, text).lastInsertRowid);
  }

  history(alertId: number): HistoryEntry[] {
    return (this.stmts.historyOf.all(alertId) as (Omit<HistoryEntry, 'detail'> & { detail: string })[])
      .map((h) => ({ ...h, detail: JSON.parse(h.detail) as Record<string, unknown> }));
  }

  notes(alertId: number): Note[] {
    return this.stmts.notesOf.all(alertId) as Note[];
  }
}
