import { describe, expect, it } from 'vitest';
import { CountMinSketch, rarityCount, rarityOf, RARITY_SATURATION } from '../../../models/features/index.js';
import { fnvAdd, FNV_OFFSET } from '../../../models/features/hash.js';
import { rng } from './helpers.js';

const h = (s: string) => fnvAdd(FNV_OFFSET, s);

describe('rarity', () => {
  it('is 1 for a first-seen key, falls with the count, 0 at saturation, and inverts', () => {
    expect(rarityOf(0)).toBe(1);
    expect(rarityOf(1)).toBeCloseTo(0.9, 5);
    expect(rarityOf(31)).toBeCloseTo(0.5, 5);
    expect(rarityOf(RARITY_SATURATION)).toBe(0);
    expect(rarityOf(1e9)).toBe(0);
    for (const n of [0, 1, 2, 7, 100, 500]) expect(rarityCount(rarityOf(n))).toBe(n);
    for (let n = 0; n < 2000; n++) expect(rarityOf(n + 1)).toBeLessThanOrEqual(rarityOf(n));
  });
});

describe('count-min sketch', () => {
  it('uses fixed memory whatever the number of keys', () => {
    const s = new CountMinSketch({ width: 1000, depth: 4, halveEvery: 0 });
    expect(s.width).toBe(1024);
    expect(s.bytes).toBe(1024 * 4 * 4);
    for (let i = 0; i < 200_000; i++) s.add(h(`key-${i}`));
    expect(s.bytes).toBe(1024 * 4 * 4);
  });

  it('never under-estimates and stays within e/width * N for at least 1 - exp(-depth) of the keys', () => {
    const width = 2048;
    const depth = 4;
    const s = new CountMinSketch({ width, depth, halveEvery: 0 });
    const truth = new Map<string, number>();
    const r = rng(7);
    const N = 100_000;
    for (let i = 0; i < N; i++) {
      // Zipf-like: a few frequent keys, a long tail of rare ones
      const k = `k${Math.floor(1 / (r() + 1e-4))}-${Math.floor(r() * 50)}`;
      truth.set(k, (truth.get(k) ?? 0) + 1);
      s.add(h(k));
    }
    const bound = (Math.E / width) * N;
    let within = 0;
    let exactRare = 0;
    let rare = 0;
    for (const [k, n] of truth) {
      const est = s.estimate(h(k));
      expect(est).toBeGreaterThanOrEqual(n);
      if (est - n <= bound) within++;
      if (n <= 2) {
        rare++;
        if (est === n) exactRare++;
      }
    }
    expect(within / truth.size).toBeGreaterThanOrEqual(1 - Math.exp(-depth));
    // conservative update keeps most rare keys exact
    console.log(`sketch ${width}x${depth}: ${truth.size} keys, N=${N}, within bound ${(within / truth.size * 100).toFixed(2)}%, rare keys exact ${(exactRare / rare * 100).toFixed(1)}%`);
    expect(exactRare / rare).toBeGreaterThan(0.5);
  });

  it('decays: halving forgets, so an old habit becomes rare again', () => {
    const s = new CountMinSketch({ width: 1024, depth: 4, halveEvery: 1000 });
    for (let i = 0; i < 500; i++) s.add(h('old'));
    expect(s.estimate(h('old'))).toBe(500);
    for (let i = 0; i < 5000; i++) s.add(h(`noise-${i % 50}`));
    expect(s.halvings).toBe(5);
    expect(s.estimate(h('old'))).toBeLessThan(20);
    expect(s.rarity(h('old'))).toBeGreaterThan(0.5);
  });
});

describe('count-min sketch shared between threads', () => {
  it('two sketches on one buffer see each other\'s counts and halve once per period', () => {
    const o = { width: 1024, depth: 4, halveEvery: 1000 };
    const shared = CountMinSketch.sharedBuffer(o);
    const a = new CountMinSketch({ ...o, shared });
    const b = new CountMinSketch({ ...o, shared });
    for (let i = 0; i < 300; i++) (i % 2 ? a : b).add(h('both'));
    expect(a.estimate(h('both'))).toBe(300);
    expect(b.estimate(h('both'))).toBe(300);
    expect(a.adds).toBe(300);
    for (let i = 0; i < 4700; i++) (i % 3 ? a : b).add(h(`noise-${i % 50}`));
    // 5,000 adds in all, halving every 1,000: five halvings, whichever sketch made the last add.
    expect(a.halvings).toBe(5);
    expect(b.halvings).toBe(5);
    expect(a.adds).toBe(0);
    expect(a.estimate(h('both'))).toBeLessThan(20);
  });

  it('refuses a buffer of another shape', () => {
    const shared = CountMinSketch.sharedBuffer({ width: 1024, depth: 4 });
    expect(() => new CountMinSketch({ width: 2048, depth: 4, shared })).toThrow(RangeError);
  });

  it('counts what two worker threads add, seen from a third', async () => {
    const { Worker } = await import('node:worker_threads');
    const { pathToFileURL } = await import('node:url');
    const { join } = await import('node:path');
    const o = { width: 1 << 16, depth: 4, halveEvery: 0 };
    const shared = CountMinSketch.sharedBuffer(o);
    // Workers run the compiled module (npm test builds first).
    const module = pathToFileURL(join(import.meta.dirname, '..', '..', '..', 'dist', 'models', 'features', 'rarity.js')).href;
    const hashModule = pathToFileURL(join(import.meta.dirname, '..', '..', '..', 'dist', 'models', 'features', 'hash.js')).href;
    const code = `
      const { workerData, parentPort } = require('node:worker_threads');
      Promise.all([import(${JSON.stringify(module)}), import(${JSON.stringify(hashModule)})]).then(([{ CountMinSketch }, { fnvAdd, FNV_OFFSET }]) => {
        const s = new CountMinSketch({ ...workerData.o, shared: workerData.shared });
        for (let k = 0; k < 500; k++) for (let n = 0; n <= k % 7; n++) s.add(fnvAdd(FNV_OFFSET, workerData.prefix + k));
        parentPort.postMessage('done');
      });`;
    await Promise.all(['left-', 'right-'].map((prefix) => new Promise<void>((resolve, reject) => {
      const w = new Worker(code, { eval: true, workerData: { o, shared, prefix } });
      w.once('message', () => void w.terminate().then(() => resolve()));
      w.once('error', reject);
    })));
    const seen = new CountMinSketch({ ...o, shared });
    let exact = 0;
    for (const prefix of ['left-', 'right-']) {
      for (let k = 0; k < 500; k++) {
        const e = seen.estimate(h(prefix + k));
        expect(e).toBeGreaterThanOrEqual((k % 7) + 1); // keys of one thread each: no lost updates
        if (e === (k % 7) + 1) exact++;
      }
    }
    expect(exact).toBeGreaterThan(990);
  });
});
