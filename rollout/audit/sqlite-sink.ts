/**
 * Audit log in SQLite (WAL). Append-only twice over: this class only ever INSERTs, and triggers
 * make SQLite itself refuse UPDATE and DELETE on the table. The triggers stop mistakes, not an
 * attacker with the file (who can drop them): the hash chain is what detects that.
 * Appends run in an IMMEDIATE transaction that reads the head and inserts, so two processes
 * appending to one file (controller, CLI) still form one chain.
 */
import type Database from 'better-sqlite3';
import { openSqlite } from '../../common/sqlite.js';
import { fail, ok } from '../../common/errors.js';
import type { Result } from '../../common/errors.js';
import { canonicalJson } from '../trust/canonical-json.js';
import { GENESIS_HASH, nextEntry } from './entry.js';
import type { AuditEntry, AuditInput } from './entry.js';
import type { AuditQuery, AuditSink, AuditSinkOptions } from './sink.js';

export const AUDIT_TABLE = 'audit_log';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS ${AUDIT_TABLE} (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  rollout TEXT NOT NULL,
  detail TEXT NOT NULL,
  prev TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ${AUDIT_TABLE}_rollout ON ${AUDIT_TABLE} (rollout, seq);
CREATE TRIGGER IF NOT EXISTS ${AUDIT_TABLE}_no_update BEFORE UPDATE ON ${AUDIT_TABLE}
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: UPDATE refused'); END;
CREATE TRIGGER IF NOT EXISTS ${AUDIT_TABLE}_no_delete BEFORE DELETE ON ${AUDIT_TABLE}
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: DELETE refused'); END;
`;

interface Row {
  seq: number;
  at: string;
  actor: string;
  action: string;
  rollout: string;
  detail: string;
  prev: string;
  hash: string;
}

export class SqliteAuditSink implements AuditSink {
  private readonly stmts;
  private readonly appendTx: (input: AuditInput) => AuditEntry;

  private constructor(
    private readonly db: Database.Database,
    readonly file: string,
    clock: () => number,
  ) {
    this.stmts = {
      head: db.prepare<[], { seq: number; hash: string }>(`SELECT seq, hash FROM ${AUDIT_TABLE} ORDER BY seq DESC LIMIT 1`),
      insert: db.prepare(`INSERT INTO ${AUDIT_TABLE} (seq, at, actor, action, rollout, detail, prev, hash)
        VALUES (@seq, @at, @actor, @action, @rollout, @detail, @prev, @hash)`),
      after: db.prepare<[number, number], Row>(`SELECT * FROM ${AUDIT_TABLE} WHERE seq > ? ORDER BY seq LIMIT ?`),
      afterOf: db.prepare<[number, string, number], Row>(`SELECT * FROM ${AUDIT_TABLE} WHERE seq > ? AND rollout = ? ORDER BY seq LIMIT ?`),
    };
    const tx = db.transaction((input: AuditInput): AuditEntry => {
      const entry = nextEntry(this.stmts.head.get(), input, clock());
      this.stmts.insert.run({ ...entry, detail: canonicalJson(entry.detail) });
      return entry;
    });
    this.appendTx = (input) => tx.immediate(input);
  }

  /** Opens (creating the file, table and triggers if missing). VIGIE_STORE_IO when it cannot. */
  static open(file: string, o: AuditSinkOptions = {}): Result<SqliteAuditSink> {
    try {
      const db = openSqlite(file);
      try {
        db.exec(SCHEMA);
        return ok(new SqliteAuditSink(db, file, o.clock ?? Date.now));
      } catch (e) {
        db.close();
        throw e;
      }
    } catch (e) {
      return fail('VIGIE_STORE_IO', `cannot open the audit log: ${(e as Error).message}`, { file });
    }
  }

  append(input: AuditInput): AuditEntry {
    return this.appendTx(input);
  }

  entries(q: AuditQuery = {}): AuditEntry[] {
    const limit = q.limit ?? -1; // SQLite: a negative LIMIT means none
    const rows = q.rollout === undefined ? this.stmts.after.all(q.afterSeq ?? 0, limit) : this.stmts.afterOf.all(q.afterSeq ?? 0, q.rollout, limit);
    return rows.map(toEntry);
  }

  head(): { seq: number; hash: string } {
    return this.stmts.head.get() ?? { seq: 0, hash: GENESIS_HASH };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function toEntry(r: Row): AuditEntry {
  let detail: Record<string, unknown>;
  try {
    detail = JSON.parse(r.detail) as Record<string, unknown>;
  } catch {
    // A row edited by hand into non-JSON: keep the text so the chain check names this seq.
    detail = { unparsable: r.detail };
  }
  return { seq: r.seq, at: r.at, actor: r.actor, action: r.action, rollout: r.rollout, detail, prev: r.prev, hash: r.hash };
}
