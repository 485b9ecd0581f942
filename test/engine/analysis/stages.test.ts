/** The analysis threads' stage options: one set of rarity counters for all of them. */
import { describe, expect, it } from 'vitest';
import { withSharedRarity, type StageOptions } from '../../../engine/analysis/stages.js';
import { CountMinSketch } from '../../../models/features/rarity.js';

const base: StageOptions = {
  processTableHosts: 10, processTablePerHost: 16,
  score: { processModel: 'none', networkModel: 'none', maxRows: 16, maxDelayMs: 5, lineageDecay: -1, extractor: { sketch: { width: 1024, depth: 2 } } },
};

describe('withSharedRarity', () => {
  it('puts the sketch in a SharedArrayBuffer of the configured shape, once', () => {
    const o = withSharedRarity(base);
    const shared = o.score.extractor?.sketch?.shared;
    expect(shared).toBeInstanceOf(SharedArrayBuffer);
    expect(shared!.byteLength).toBe(CountMinSketch.sharedBuffer({ width: 1024, depth: 2 }).byteLength);
    // Every thread gets the same buffer: applying it again changes nothing.
    expect(withSharedRarity(o).score.extractor?.sketch?.shared).toBe(shared);
    // A sketch built from these options works on it.
    const a = new CountMinSketch(o.score.extractor!.sketch);
    const b = new CountMinSketch(o.score.extractor!.sketch);
    a.add(42);
    expect(b.estimate(42)).toBe(1);
    expect(base.score.extractor?.sketch?.shared).toBeUndefined();
  });
});
