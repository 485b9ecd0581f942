import { describe, expect, it } from 'vitest';
import { MicroBatcher } from '../../../engine/score/micro-batcher.js';
import type { MicroBatch } from '../../../engine/score/micro-batcher.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A scorer that records each batch (copied) and can be held open. */
function recorder(width: number) {
  const batches: { rows: number[]; tags: number[] }[] = [];
  let gate: Promise<void> = Promise.resolve();
  let open = () => {};
  return {
    batches,
    hold() {
      gate = new Promise((r) => (open = r));
    },
    release() {
      open();
    },
    score: async (b: MicroBatch<number>) => {
      batches.push({ rows: [...b.rows.subarray(0, b.n * width)], tags: [...b.tags] });
      await gate;
    },
  };
}

const writeTag = (tag: number, width: number) => (rows: Float32Array, at: number) => {
  for (let i = 0; i < width; i++) rows[at + i] = tag * 10 + i;
};

describe('MicroBatcher', () => {
  it('cuts a batch at maxRows, rows and tags in order, values where the writer put them', async () => {
    const r = recorder(2);
    const mb = new MicroBatcher<number>({ width: 2, maxRows: 3, maxDelayMs: 10_000 }, r.score);
    for (let t = 0; t < 7; t++) await mb.add(t, writeTag(t, 2));
    expect(r.batches.map((b) => b.tags)).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(r.batches[1]?.rows).toEqual([30, 31, 40, 41, 50, 51]);
    expect(mb.pending).toBe(1);
    await mb.flush();
    expect(r.batches.map((b) => b.tags)).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(mb.count).toMatchObject({ batches: 3, rows: 7, bySize: 2, byFlush: 1 });
  });

  it('cuts a partial batch once its first row has waited maxDelayMs', async () => {
    const r = recorder(1);
    const mb = new MicroBatcher<number>({ width: 1, maxRows: 1000, maxDelayMs: 20 }, r.score);
    await mb.add(1, writeTag(1, 1));
    await mb.add(2, writeTag(2, 1));
    expect(r.batches).toHaveLength(0);
    await sleep(80);
    expect(r.batches.map((b) => b.tags)).toEqual([[1, 2]]);
    expect(mb.count.byDelay).toBe(1);
    await mb.flush();
  });

  it('gathers rows while a run is in flight and waits (backpressure) when both buffers are full', async () => {
    const r = recorder(1);
    r.hold();
    const mb = new MicroBatcher<number>({ width: 1, maxRows: 2, maxDelayMs: 10_000 }, r.score);
    await mb.add(0, writeTag(0, 1));
    await mb.add(1, writeTag(1, 1)); // first batch cut, its run held open
    await mb.add(2, writeTag(2, 1));
    await mb.add(3, writeTag(3, 1)); // second buffer full
    let fifthAdded = false;
    const fifth = mb.add(4, writeTag(4, 1)).then(() => (fifthAdded = true));
    await sleep(20);
    expect(fifthAdded).toBe(false);
    expect(r.batches).toHaveLength(1);
    r.release();
    await fifth;
    expect(fifthAdded).toBe(true);
    await mb.flush();
    expect(r.batches.map((b) => b.tags)).toEqual([[0, 1], [2, 3], [4]]);
  });

  it('counts a failed run and goes on with the next batch', async () => {
    let calls = 0;
    const seen: number[][] = [];
    const mb = new MicroBatcher<number>({ width: 1, maxRows: 2, maxDelayMs: 10_000 }, async (b) => {
      calls++;
      if (calls === 1) throw new Error('session failed');
      seen.push([...b.tags]);
    });
    for (let t = 0; t < 4; t++) await mb.add(t, writeTag(t, 1));
    await mb.flush();
    expect(mb.count).toMatchObject({ batches: 1, failedBatches: 1, rows: 2 });
    expect(seen).toEqual([[2, 3]]);
    expect((mb.lastFailure as Error).message).toBe('session failed');
  });

  it('adds rows in bulk across batch boundaries, in order, waiting when both buffers are full', async () => {
    const r = recorder(2);
    r.hold();
    const mb = new MicroBatcher<number>({ width: 2, maxRows: 3, maxDelayMs: 10_000 }, r.score);
    const values = Float32Array.from({ length: 2 * 8 }, (_, k) => k);
    let done = false;
    const waiting = mb.addRows(values, 1, 7, (i) => 100 + i);
    expect(waiting).toBeInstanceOf(Promise); // both buffers full: the caller must wait
    const adding = waiting!.then(() => (done = true));
    await sleep(20);
    // rows 1..3 in flight (held), 4..6 in the spare buffer, row 7 waits
    expect(done).toBe(false);
    expect(r.batches.map((b) => b.tags)).toEqual([[100, 101, 102]]);
    expect(r.batches[0]?.rows).toEqual([2, 3, 4, 5, 6, 7]);
    r.release();
    await adding;
    await mb.flush();
    expect(r.batches.map((b) => b.tags)).toEqual([[100, 101, 102], [103, 104, 105], [106]]);
    expect(r.batches[2]?.rows).toEqual([14, 15]);
  });

  it('adds a group of rows under one tag: each batch it spans holds the tag once, rows find it and their index', async () => {
    const seen: { tags: string[]; tagIndex: number[]; rowIndex: number[]; rows: number[] }[] = [];
    const mb = new MicroBatcher<string>({ width: 1, maxRows: 3, maxDelayMs: 10_000 }, async (b) => {
      seen.push({ tags: [...b.tags], tagIndex: [...b.tagIndex.subarray(0, b.n)], rowIndex: [...b.rowIndex.subarray(0, b.n)], rows: [...b.rows.subarray(0, b.n)] });
    });
    await mb.add('single', (rows, at) => (rows[at] = -1));
    await mb.addGroup(Float32Array.from([10, 11, 12, 13, 14]), 1, 4, 'g');
    await mb.addGroup(new Float32Array(0), 0, 0, 'empty');
    await mb.flush();
    expect(seen).toEqual([
      { tags: ['single', 'g'], tagIndex: [0, 1, 1], rowIndex: [-1, 1, 2], rows: [-1, 11, 12] },
      { tags: ['g'], tagIndex: [0, 0], rowIndex: [3, 4], rows: [13, 14] },
    ]);
    expect(mb.count).toMatchObject({ batches: 2, rows: 5 });
  });

  it('addRows gives each row its own tag and its index in the values', async () => {
    const seen: { tagIndex: number[]; rowIndex: number[] }[] = [];
    const mb = new MicroBatcher<number>({ width: 1, maxRows: 8, maxDelayMs: 10_000 }, async (b) => {
      seen.push({ tagIndex: [...b.tagIndex.subarray(0, b.n)], rowIndex: [...b.rowIndex.subarray(0, b.n)] });
    });
    await mb.addRows(Float32Array.from([0, 1, 2]), 1, 2, (i) => i);
    await mb.flush();
    expect(seen).toEqual([{ tagIndex: [0, 1], rowIndex: [1, 2] }]);
  });

  it('starts the next run before consuming a batch\'s scores, and consumes in batch order', async () => {
    const events: string[] = [];
    let gate: () => void = () => {};
    let held = new Promise<void>((r) => (gate = r));
    const mb = new MicroBatcher<number>({ width: 1, maxRows: 2, maxDelayMs: 10_000 }, async (b) => {
      const tags = b.tags.join(',');
      events.push(`run ${tags}`);
      await held;
      return () => {
        // the batch's arrays are intact while consumed, though the next run has started
        events.push(`consume ${tags} rows ${[...b.rows.subarray(0, b.n)].join(',')}`);
      };
    });
    const values = Float32Array.from({ length: 6 }, (_, k) => 10 + k);
    expect(mb.addRows(values, 0, 4, (i) => i)).toBeUndefined(); // fits (one buffer in flight, one filling)
    expect(events).toEqual(['run 0,1']);
    const waiting = mb.addRows(values, 4, 2, (i) => 4 + i);
    expect(waiting).toBeInstanceOf(Promise);
    gate();
    await waiting;
    held = Promise.resolve();
    await mb.flush();
    expect(events).toEqual(['run 0,1', 'run 2,3', 'consume 0,1 rows 10,11', 'run 4,5', 'consume 2,3 rows 12,13', 'consume 4,5 rows 14,15']);
    expect(mb.count).toMatchObject({ batches: 3, rows: 6 });
  });
});
