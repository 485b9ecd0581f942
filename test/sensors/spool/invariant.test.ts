/**
 * Random sequences of append / ack / drop / overflow / close / crash / torn tail / reopen, checked
 * after every step against what the heartbeat relies on:
 *   appended = acked + dropped + unacked          (batches and events)
 *   appended = what the caller appended            (nothing vanishes from the books)
 *   a seq is never handed out twice, across restarts and crashes
 *   unacked payloads read back intact; bytes on disk <= maxBytes
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Spool } from '../../../sensors/spool/index.js';
import { crash, diskBytes, identityHolds, openOk, payloadFor, rng, segmentFiles, tempDir } from './helpers.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function run(seed: number, steps: number): void {
  const t = tempDir(`inv-${seed}`);
  cleanups.push(t.cleanup);
  const options = { dir: t.dir, maxBytes: 6000, segmentBytes: 1000 };
  const rand = rng(seed);
  const pick = <T>(xs: T[]): T | undefined => xs[Math.floor(rand() * xs.length)];
  const sizes = new Map<number, number>(); // seq -> payload length, to check payloads
  let live = new Set<number>(); // seqs that may still be unacked
  let appendedBatches = 0;
  let appendedEvents = 0;
  let maxIssued = 0;
  let spool: Spool = openOk(options);
  const where = (step: number, op: string) => `seed ${seed} step ${step} op ${op}`;

  const reopen = (how: 'close' | 'crash' | 'tear') => {
    if (how === 'crash') crash(t.dir);
    else spool.close();
    if (how === 'tear') {
      const last = segmentFiles(t.dir).at(-1);
      if (last !== undefined) {
        const file = path.join(t.dir, last);
        fs.truncateSync(file, Math.floor(fs.statSync(file).size * rand()));
      }
    }
    spool = openOk(options);
    if (how === 'crash') live = new Set(spool.readUnacked(0, 1e9).map((e) => e.seq)); // forgotten acks return
  };

  for (let step = 0; step < steps; step++) {
    const r = rand();
    let op: string;
    if (r < 0.45) {
      op = 'append';
      const big = rand() < 0.05;
      const length = big ? 1000 + Math.floor(rand() * 2000) : Math.floor(rand() * 600);
      const events = Math.floor(rand() * 20);
      const seq = spool.nextSeq();
      expect(seq, where(step, op)).toBeGreaterThan(maxIssued);
      const res = spool.append(events, payloadFor(seq, length));
      expect(res.ok, where(step, op)).toBe(true);
      maxIssued = seq;
      sizes.set(seq, length);
      live.add(seq);
      appendedBatches += 1;
      appendedEvents += events;
    } else if (r < 0.65) {
      op = 'ack';
      const seq = pick([...live]);
      if (seq !== undefined) {
        spool.ack(seq);
        live.delete(seq);
      }
    } else if (r < 0.75) {
      op = 'ack-oldest';
      for (let i = 0; i < 5; i++) {
        const seq = spool.firstUnackedSeq();
        spool.ack(seq);
        live.delete(seq);
      }
    } else if (r < 0.8) {
      op = 'drop';
      const seq = pick([...live]);
      if (seq !== undefined) {
        spool.drop(seq);
        live.delete(seq);
      }
    } else if (r < 0.83) {
      op = 'too-large';
      expect(spool.append(1, new Uint8Array(6000)).ok, where(step, op)).toBe(false);
    } else if (r < 0.9) {
      op = 'read';
      const entries = spool.readUnacked(Math.floor(rand() * maxIssued), 1 + Math.floor(rand() * 20));
      for (let i = 0; i < entries.length; i++) {
        const e = entries[i]!;
        if (i > 0) expect(e.seq, where(step, op)).toBeGreaterThan(entries[i - 1]!.seq);
        expect(live.has(e.seq), where(step, op)).toBe(true);
        const want = Buffer.from(payloadFor(e.seq, sizes.get(e.seq)!));
        expect(Buffer.from(e.payload).equals(want), where(step, op)).toBe(true);
      }
    } else if (r < 0.95) {
      op = 'close-reopen';
      reopen('close');
    } else if (r < 0.985) {
      op = 'crash-reopen';
      reopen('crash');
    } else {
      op = 'tear-reopen';
      reopen('tear');
    }
    const c = spool.counters();
    const s = spool.stats();
    expect(identityHolds(spool), `${where(step, op)} ${JSON.stringify({ c, s })}`).toBe(true);
    expect(c.appendedBatches, where(step, op)).toBe(appendedBatches);
    expect(c.appendedEvents, where(step, op)).toBe(appendedEvents);
    expect(Object.values(c).every((v) => Number.isSafeInteger(v) && v >= 0), where(step, op)).toBe(true);
    expect(s.bytes, where(step, op)).toBeLessThanOrEqual(options.maxBytes);
    expect(spool.nextSeq(), where(step, op)).toBeGreaterThan(maxIssued);
    if (step % 25 === 0) expect(diskBytes(t.dir), where(step, op)).toBe(s.bytes);
  }
  spool.close();
  const end = openOk(options);
  expect(identityHolds(end)).toBe(true);
  expect(end.counters().appendedBatches).toBe(appendedBatches);
  end.close();
}

describe('Spool counters: appended = acked + dropped + unacked, always', () => {
  for (const seed of [1, 2, 3, 42, 1337, 2024]) {
    it(`holds under a random sequence (seed ${seed})`, () => run(seed, 1500));
  }
});
