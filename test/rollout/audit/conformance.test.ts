/** One suite, every AuditSink: chaining, queries, verification and tamper detection on the entries. */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GENESIS_HASH, hashEntry, MemoryAuditSink, SqliteAuditSink, verifyAuditChain } from '../../../rollout/audit/index.js';
import type { AuditEntry, AuditSink } from '../../../rollout/audit/index.js';
import type { AuditWriter } from '../../../rollout/controller/audit-writer.js';
import { tempDir } from '../../helpers/fixtures.js';

const dir = tempDir('audit-conformance');
afterAll(() => dir.remove());
let n = 0;
const T0 = Date.parse('2025-06-01T00:00:00.000Z');

const IMPLEMENTATIONS: [string, (clock: () => number) => AuditSink][] = [
  ['memory', (clock) => new MemoryAuditSink({ clock })],
  ['sqlite', (clock) => {
    const r = SqliteAuditSink.open(join(dir.path, `a${n++}.db`), { clock });
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  }],
];

function fill(sink: AuditSink, count: number): AuditEntry[] {
  const out: AuditEntry[] = [];
  for (let i = 0; i < count; i++) {
    out.push(sink.append({ actor: i % 3 === 0 ? 'controller' : 'alice', action: i % 2 ? 'gate.pass' : 'rollout.promote', rollout: i % 4 === 0 ? '' : `r${i % 2}`, detail: { ring: i, share: i / 10, tags: ['x', i] } }));
  }
  return out;
}

describe.each(IMPLEMENTATIONS)('AuditSink conformance: %s', (_name, make) => {
  it('chains entries from genesis: seq, prev, hash, and the clock for `at`', () => {
    let now = T0;
    const sink = make(() => now);
    expect(sink.head()).toEqual({ seq: 0, hash: GENESIS_HASH });
    const a = sink.append({ actor: 'alice', action: 'rollout.create', rollout: 'r1', detail: { version: '1.2.0' } });
    now += 15_000;
    const b = sink.append({ actor: 'controller', action: 'gate.fail', detail: { gate: 'crash' } });
    const c = sink.append({ actor: 'controller', action: 'sim.tick', atMs: T0 + 99_000 });
    expect(a).toMatchObject({ seq: 1, prev: GENESIS_HASH, at: '2025-06-01T00:00:00.000Z', rollout: 'r1' });
    expect(b).toMatchObject({ seq: 2, prev: a.hash, at: '2025-06-01T00:00:15.000Z', rollout: '', detail: { gate: 'crash' } });
    expect(c).toMatchObject({ seq: 3, prev: b.hash, at: '2025-06-01T00:01:39.000Z', detail: {} });
    expect(new Set([a.hash, b.hash, c.hash]).size).toBe(3);
    expect(sink.head()).toEqual({ seq: 3, hash: c.hash });
    expect(sink.entries()).toEqual([a, b, c]);
    expect(verifyAuditChain(sink.entries())).toEqual({ ok: true, value: { count: 3, seq: 3, hash: c.hash } });
    sink.close();
  });

  it('answers queries by seq, rollout and limit, oldest first', () => {
    const sink = make(() => T0);
    const all = fill(sink, 20);
    expect(sink.entries({ afterSeq: 17 })).toEqual(all.slice(17));
    expect(sink.entries({ rollout: 'r1' }).map((e) => e.seq)).toEqual(all.filter((e) => e.rollout === 'r1').map((e) => e.seq));
    expect(sink.entries({ rollout: 'r0', limit: 2, afterSeq: 3 }).map((e) => e.seq)).toEqual([7, 11]);
    // Verification can resume from an already verified head.
    expect(verifyAuditChain(sink.entries({ afterSeq: 10 }), { after: { seq: 10, hash: all[9]!.hash } }).ok).toBe(true);
    sink.close();
  });

  it('names the first broken seq when an entry is changed, removed or reordered', () => {
    const sink = make(() => T0);
    const all = fill(sink, 8);
    const changed = all.map((e) => (e.seq === 5 ? { ...e, detail: { ...e.detail, ring: 99 } } : e));
    expect(verifyAuditChain(changed)).toMatchObject({ ok: false, error: { code: 'VIGIE_AUDIT_BROKEN', location: { offset: 5, field: 'hash' } } });
    // Rehashing the changed entry moves the break to the next one, whose prev no longer matches.
    const rehashed = changed.map((e) => (e.seq === 5 ? { ...e, hash: hashEntry(e) } : e));
    expect(verifyAuditChain(rehashed)).toMatchObject({ ok: false, error: { location: { offset: 6, field: 'prev' } } });
    expect(verifyAuditChain(all.filter((e) => e.seq !== 3))).toMatchObject({ ok: false, error: { location: { offset: 3, field: 'seq' } } });
    expect(verifyAuditChain([all[1]!, all[0]!, ...all.slice(2)])).toMatchObject({ ok: false, error: { location: { offset: 1, field: 'seq' } } });
    expect(verifyAuditChain(all.slice(1))).toMatchObject({ ok: false, error: { location: { offset: 1 } } });
    sink.close();
  });

  it('keeps history apart from the caller\'s objects, and serves as the controller\'s AuditWriter', () => {
    const sink = make(() => T0);
    const detail = { hosts: [1, 2] };
    sink.append({ actor: 'a', action: 'x', detail });
    detail.hosts.push(3);
    expect(sink.entries()[0]!.detail).toEqual({ hosts: [1, 2] });
    const writer: AuditWriter = sink;
    writer.append({ atMs: T0 + 1, actor: 'controller', action: 'rollout.halt', rollout: 'r9', detail: { reason: 'crash gate' } });
    expect(sink.entries()[1]).toMatchObject({ at: new Date(T0 + 1).toISOString(), rollout: 'r9', action: 'rollout.halt' });
    expect(verifyAuditChain(sink.entries()).ok).toBe(true);
    sink.close();
  });
});

describe('MemoryAuditSink cost', () => {
  it('takes thousands of appends quickly (the fleet simulation appends per gate decision)', () => {
    const sink = new MemoryAuditSink({ clock: () => T0 });
    const t = performance.now();
    fill(sink, 5000);
    const ms = performance.now() - t;
    expect(sink.head().seq).toBe(5000);
    expect(verifyAuditChain(sink.entries()).ok).toBe(true);
    // Generous bound for a shared 2-core machine; a regression to O(n) per append would blow it.
    expect(ms).toBeLessThan(2000);
  });
});
