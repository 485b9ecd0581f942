/**
 * rollout/audit: the append-only, hash-chained log of every rollout action and gate decision,
 * in memory (fleet simulation) or in SQLite (controller, CLI).
 */
export { GENESIS_HASH, hashEntry, nextEntry, verifyAuditChain } from './entry.js';
export type { AuditEntry, AuditInput, ChainHead } from './entry.js';
export type { AuditQuery, AuditSink, AuditSinkOptions } from './sink.js';
export { MemoryAuditSink } from './memory-sink.js';
export { AUDIT_TABLE, SqliteAuditSink } from './sqlite-sink.js';
