/**
 * Appends audit entries to the audit log (rollout/audit, table audit_log) through the rollout
 * store's own connection, inside the transaction that saves the state. An action and its audit
 * entries are then one commit: no crash can leave a state change without its entry or an entry
 * without its change. SqliteAuditSink creates the table and its append-only triggers and reads
 * the log; entries are built by the same `nextEntry` and stored in the same row format, so
 * `verifyAuditChain` and `vigie rollout audit` read them like any other.
 */
import type Database from 'better-sqlite3';
import { AUDIT_TABLE, nextEntry, type AuditEntry, type AuditInput } from '../audit/index.js';
import { canonicalJson } from '../trust/index.js';
import { jsonSafe } from './store-schema.js';

export class AuditAppender {
  private readonly head;
  private readonly insert;

  constructor(db: Database.Database, private readonly clock: () => number) {
    this.head = db.prepare<[], { seq: number; hash: string }>(`SELECT seq, hash FROM ${AUDIT_TABLE} ORDER BY seq DESC LIMIT 1`);
    this.insert = db.prepare(`INSERT INTO ${AUDIT_TABLE} (seq, at, actor, action, rollout, detail, prev, hash)
      VALUES (@seq, @at, @actor, @action, @rollout, @detail, @prev, @hash)`);
  }

  /** Call inside the store's transaction (the head read and the insert must not interleave). */
  append(input: AuditInput): AuditEntry {
    const safe = input.detail === undefined ? input : { ...input, detail: jsonSafe(input.detail) };
    const entry = nextEntry(this.head.get(), safe, this.clock());
    this.insert.run({ ...entry, detail: canonicalJson(entry.detail) });
    return entry;
  }
}
