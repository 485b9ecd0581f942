/**
 * In-memory audit log, for the fleet simulation and tests: an array, one sha256 per append
 * (thousands of appends cost milliseconds). Entries are frozen so a caller cannot edit history.
 */
import { GENESIS_HASH, nextEntry } from './entry.js';
import type { AuditEntry, AuditInput } from './entry.js';
import type { AuditQuery, AuditSink, AuditSinkOptions } from './sink.js';

export class MemoryAuditSink implements AuditSink {
  private readonly log: AuditEntry[] = [];
  private readonly clock: () => number;

  constructor(o: AuditSinkOptions = {}) {
    this.clock = o.clock ?? Date.now;
  }

  append(input: AuditInput): AuditEntry {
    const last = this.log[this.log.length - 1];
    const entry = nextEntry(last, input, this.clock());
    // A structured clone keeps later changes to the caller's detail object out of history.
    const frozen = Object.freeze({ ...entry, detail: deepFreeze(structuredClone(entry.detail)) });
    this.log.push(frozen);
    return frozen;
  }

  entries(q: AuditQuery = {}): AuditEntry[] {
    const from = q.afterSeq ?? 0; // seq n sits at index n - 1
    let out = this.log.slice(Math.max(0, from));
    if (q.rollout !== undefined) out = out.filter((e) => e.rollout === q.rollout);
    return q.limit === undefined ? out : out.slice(0, q.limit);
  }

  head(): { seq: number; hash: string } {
    const last = this.log[this.log.length - 1];
    return last ? { seq: last.seq, hash: last.hash } : { seq: 0, hash: GENESIS_HASH };
  }

  close(): void {}
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}
