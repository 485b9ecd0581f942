import { describe, expect, it } from 'vitest';
import { measureGeneration, type GenerationRate } from '../../../../sensors/simulate/behaviour/index.js';

const show = (r: GenerationRate) =>
  `generation (${r.mode}): ${r.events} events for ${r.hosts} hosts x ${r.windowMs / 60_000} min (Monday 10:00) in ${r.elapsedMs.toFixed(0)} ms = ${r.eventsPerSecond.toLocaleString('en')} events/s`;

describe('generation throughput', () => {
  it('generates a fleet window fast enough to feed ingest benchmarks', () => {
    measureGeneration({ hosts: 100, windowMs: 600_000 }); // warm up the JIT
    const window = measureGeneration({ hosts: 1000, windowMs: 3_600_000 });
    const stream = measureGeneration({ hosts: 1000, windowMs: 3_600_000, mode: 'stream', stepMs: 1000 });
    console.log(show(window));
    console.log(show(stream));
    expect(window.events).toBeGreaterThan(500_000);
    expect(stream.events).toBe(window.events);
    // The target is > 300,000 events/s on one core; the bound is lower because the suite runs
    // in parallel workers on small CI machines.
    expect(window.eventsPerSecond).toBeGreaterThan(150_000);
    expect(stream.eventsPerSecond).toBeGreaterThan(150_000);
  });
});
