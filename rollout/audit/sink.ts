/** Where audit entries go. Append-only: there is no update or delete in this interface. */
import type { AuditEntry, AuditInput } from './entry.js';

export interface AuditQuery {
  /** Only entries with seq > afterSeq. */
  afterSeq?: number;
  /** Only entries of this rollout id. */
  rollout?: string;
  /** At most this many, oldest first. */
  limit?: number;
}

export interface AuditSink {
  /** Chains and stores the entry, and returns it. */
  append(input: AuditInput): AuditEntry;
  /** Entries in seq order. */
  entries(query?: AuditQuery): AuditEntry[];
  /** The last entry's seq and hash (0 and GENESIS_HASH when empty). */
  head(): { seq: number; hash: string };
  close(): void;
}

export interface AuditSinkOptions {
  /** Clock for entries without `at`; the fleet simulation passes its simulated clock. */
  clock?: () => number;
}
