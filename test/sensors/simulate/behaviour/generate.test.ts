import { describe, expect, it } from 'vitest';
import { Source } from '../../../../common/events.js';
import { vigie } from '../../../../proto/gen/vigie.js';
import { createBehaviour, createFleet, HOUR_MS, MINUTE_MS } from '../../../../sensors/simulate/behaviour/index.js';
import { at, byRole, MONDAY, townFleet } from './helpers.js';

const window = (o: { seed: number }) => {
  const fleet = townFleet(o.seed);
  const b = createBehaviour({ fleet });
  return fleet.slice(0, 12).map((h) => b.generate(h, at(MONDAY, 9), at(MONDAY, 10)));
};

describe('generate', () => {
  it('is reproducible: same seed, same serialized output; another seed, another output', () => {
    const a = JSON.stringify(window({ seed: 42 }));
    expect(JSON.stringify(window({ seed: 42 }))).toBe(a);
    expect(JSON.stringify(window({ seed: 43 }))).not.toBe(a);
    expect(a.length).toBeGreaterThan(100_000);
  });

  it('does not depend on what was generated before (windows compose exactly)', () => {
    const fleet = townFleet();
    const b = createBehaviour({ fleet });
    for (const host of [byRole(fleet, 'workstation'), byRole(fleet, 'dc'), byRole(fleet, 'linux-db')]) {
      const whole = b.generate(host, at(MONDAY, 7.5), at(MONDAY, 9.5));
      const parts = [7.5, 8, 8.25, 8.2501, 9].map((h, i, hs) => b.generate(host, at(MONDAY, h), at(MONDAY, hs[i + 1] ?? 9.5))).flat();
      expect(JSON.stringify(parts)).toBe(JSON.stringify(whole));
      const stream = b.stream(host, at(MONDAY, 7.5));
      const steps: unknown[] = [];
      for (let t = at(MONDAY, 7.5) + 7 * MINUTE_MS; t <= at(MONDAY, 9.5); t += 7 * MINUTE_MS) steps.push(...stream.take(t));
      steps.push(...stream.take(at(MONDAY, 9.5)));
      expect(JSON.stringify(steps)).toBe(JSON.stringify(whole));
    }
  });

  it('emits events in time order, inside the window, for the host, unlabelled, from the simulated source', () => {
    const fleet = townFleet();
    const b = createBehaviour({ fleet });
    for (const host of fleet.slice(0, 10)) {
      const from = at(MONDAY, 14);
      const events = b.generate(host, from, from + HOUR_MS);
      expect(events.length).toBeGreaterThan(0);
      let last = from;
      for (const e of events) {
        expect(e.timeMs!).toBeGreaterThanOrEqual(last);
        last = e.timeMs!;
        expect(e.host).toBe(host.name);
        expect(e.source).toBe(Source.SOURCE_SIMULATED);
        expect(e.label).toBe('');
      }
      expect(last).toBeLessThan(from + HOUR_MS);
    }
  });

  it('produces valid protobuf Events that survive an encode/decode round trip', () => {
    const fleet = townFleet();
    const b = createBehaviour({ fleet });
    const events = fleet.slice(0, 8).flatMap((h) => [...b.snapshot(h), ...b.generate(h, at(MONDAY, 10), at(MONDAY, 10) + 10 * MINUTE_MS)]);
    const batch = { sensorId: 's', tenant: 't', seq: 1, events };
    const back = vigie.v1.TelemetryBatch.decode(vigie.v1.TelemetryBatch.encode(batch).finish());
    expect(back.events.length).toBe(events.length);
    // Decoded messages carry defaults for absent fields; compare on what the generator set.
    back.events.forEach((e, i) => expect(e).toMatchObject(events[i]!));
  });

  it('scales activity with the rate multiplier (load tests)', () => {
    const fleet = createFleet({ hosts: 60, seed: 2 });
    const count = (rate: number) => {
      const b = createBehaviour({ fleet, rate });
      return fleet.reduce((n, h) => n + b.generate(h, at(MONDAY, 10), at(MONDAY, 10.5)).length, 0);
    };
    const base = count(1);
    const ten = count(10);
    expect(ten / base).toBeGreaterThan(6);
    expect(ten / base).toBeLessThan(12);
  });

  it('gives Linux hosts no DNS events and no remote host names (their collectors cannot see them)', () => {
    const fleet = townFleet();
    const b = createBehaviour({ fleet });
    const linux = fleet.filter((h) => h.os === 'linux');
    expect(linux.length).toBeGreaterThanOrEqual(3);
    for (const h of linux) {
      const events = b.generate(h, at(MONDAY, 0), at(MONDAY, 12));
      expect(events.some((e) => e.dns)).toBe(false);
      expect(events.filter((e) => e.network).every((e) => e.network!.remoteHostname === '')).toBe(true);
      expect(events.filter((e) => e.processStart).every((e) => e.processStart!.integrityLevel === '')).toBe(true);
    }
  });
});
