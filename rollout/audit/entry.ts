/**
 * Audit entries and their hash chain. Each entry commits to the one before it (`prev`) and to its
 * own content (`hash` = sha256 of the canonical JSON of every field but `hash`), so changing,
 * inserting or removing any entry breaks verification at that entry's seq.
 */
import { createHash } from 'node:crypto';
import { fail, ok } from '../../common/errors.js';
import type { Result } from '../../common/errors.js';
import { canonicalJson } from '../trust/canonical-json.js';

export interface AuditEntry {
  /** 1, 2, 3... with no gap. */
  seq: number;
  /** ISO 8601. */
  at: string;
  /** Who: an operator name, "controller", "gate:<name>", "cli". */
  actor: string;
  /** What: "rollout.create", "gate.fail", "rollout.halt", ... */
  action: string;
  /** Rollout id, or '' for actions not about one rollout. */
  rollout: string;
  /** Anything else, as a JSON object. */
  detail: Record<string, unknown>;
  /** hash of the previous entry; GENESIS_HASH for seq 1. */
  prev: string;
  /** hex sha256 of canonicalJson of this entry without `hash`. */
  hash: string;
}

/**
 * What a caller appends; the sink fills seq, prev and hash (and `at` from its clock if absent).
 * Shaped so a sink also serves as the controller's AuditWriter (rollout/controller/audit-writer.ts).
 */
export interface AuditInput {
  actor: string;
  action: string;
  rollout?: string;
  detail?: Record<string, unknown>;
  /** ISO 8601; else `atMs`; else the sink's clock. */
  at?: string;
  /** Milliseconds since the epoch (the controller's simulated clock), used when `at` is absent. */
  atMs?: number;
}

export const GENESIS_HASH = '0'.repeat(64);

export function hashEntry(e: Omit<AuditEntry, 'hash'>): string {
  const { seq, at, actor, action, rollout, detail, prev } = e;
  return createHash('sha256').update(canonicalJson({ seq, at, actor, action, rollout, detail, prev })).digest('hex');
}

/** The entry that follows `head` (undefined for the first). Throws on a non-JSON detail: a bug. */
export function nextEntry(head: { seq: number; hash: string } | undefined, input: AuditInput, nowMs: number): AuditEntry {
  const body = {
    seq: (head?.seq ?? 0) + 1,
    at: input.at ?? new Date(input.atMs ?? nowMs).toISOString(),
    actor: input.actor,
    action: input.action,
    rollout: input.rollout ?? '',
    detail: input.detail ?? {},
    prev: head?.hash ?? GENESIS_HASH,
  };
  return { ...body, hash: hashEntry(body) };
}

export interface ChainHead {
  /** Entries checked. */
  count: number;
  /** seq and hash of the last entry (0 and GENESIS_HASH for an empty log). */
  seq: number;
  hash: string;
}

/**
 * Checks that `entries` is the log from seq 1 (or from `after`, the last entry already verified):
 * consecutive seqs, each prev equal to the previous hash, each hash recomputed. The first broken
 * entry is named: VIGIE_AUDIT_BROKEN with location.offset = its seq (and the field at fault).
 */
export function verifyAuditChain(entries: readonly AuditEntry[], o: { after?: { seq: number; hash: string }; file?: string } = {}): Result<ChainHead> {
  let seq = o.after?.seq ?? 0;
  let hash = o.after?.hash ?? GENESIS_HASH;
  const broken = (at: number, field: string, message: string): Result<never> =>
    fail('VIGIE_AUDIT_BROKEN', `audit entry ${at}: ${message}`, { ...(o.file === undefined ? {} : { file: o.file }), offset: at, field });
  for (const e of entries) {
    const expected = seq + 1;
    if (e.seq !== expected) return broken(expected, 'seq', `expected seq ${expected}, found ${e.seq} (an entry was removed or reordered)`);
    if (e.prev !== hash) return broken(e.seq, 'prev', 'prev does not match the previous entry\'s hash');
    let recomputed: string;
    try {
      recomputed = hashEntry(e);
    } catch {
      return broken(e.seq, 'detail', 'detail is not JSON');
    }
    if (recomputed !== e.hash) return broken(e.seq, 'hash', 'content does not match its hash (the entry was changed)');
    seq = e.seq;
    hash = e.hash;
  }
  return ok({ count: entries.length, seq, hash });
}
