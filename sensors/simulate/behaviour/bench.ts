/**
 * Generation throughput: how many events per second the generator produces for a whole fleet
 * over a window, on this thread. Used by the tests (printed) and by ingest benchmarks that need
 * to know their feed is not the bottleneck.
 */
import { performance } from 'node:perf_hooks';
import { createBehaviour } from './behaviour.js';
import { HOUR_MS } from './clock.js';
import { createFleet, DEFAULT_FLEET_START_MS } from './fleet.js';

export interface GenerationRate {
  mode: 'window' | 'stream';
  hosts: number;
  windowMs: number;
  events: number;
  elapsedMs: number;
  eventsPerSecond: number;
}

/**
 * Generates `windowMs` of activity for `hosts` hosts from `fromMs` (default: Monday 10:00 Paris).
 * "window": one generate() per host (pays the MAX_SPAN_MS look-back once per call); "stream":
 * one stream per host advanced by `stepMs` (default 1 s), as the simulated collectors consume it.
 */
export function measureGeneration(o: {
  hosts: number; seed?: number; fromMs?: number; windowMs?: number; rate?: number; mode?: 'window' | 'stream'; stepMs?: number;
}): GenerationRate {
  const fleet = createFleet({ hosts: o.hosts, seed: o.seed ?? 1 });
  const behaviour = createBehaviour({ fleet, rate: o.rate ?? 1 });
  const from = o.fromMs ?? DEFAULT_FLEET_START_MS + 10 * HOUR_MS;
  const windowMs = o.windowMs ?? HOUR_MS;
  const t0 = performance.now();
  let events = 0;
  const mode = o.mode ?? 'window';
  const step = o.stepMs ?? 1000;
  for (const host of fleet) {
    if (mode === 'window') {
      events += behaviour.generate(host, from, from + windowMs).length;
    } else {
      const stream = behaviour.stream(host, from);
      for (let t = from + step; t <= from + windowMs; t += step) events += stream.take(t).length;
    }
  }
  const elapsedMs = performance.now() - t0;
  return { mode, hosts: o.hosts, windowMs, events, elapsedMs, eventsPerSecond: Math.round((events / elapsedMs) * 1000) };
}
