import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Event } from '../../../../common/events.js';
import type { VigieProblem } from '../../../../common/errors.js';
import { createBehaviour, SimulatedCollector } from '../../../../sensors/simulate/behaviour/index.js';
import { at, checkTree, MONDAY, townFleet } from './helpers.js';

const fleet = townFleet(21);
const host = fleet.find((h) => h.role === 'workstation')!;

function sink() {
  const calls: Event[][] = [];
  const problems: VigieProblem[] = [];
  return { calls, problems, events: (e: Event[]) => void calls.push(e), problem: (p: VigieProblem) => void problems.push(p) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('SimulatedCollector', () => {
  it('is a Collector named and moded "simulated"', async () => {
    const c = new SimulatedCollector({ behaviour: createBehaviour(), host, startMs: at(MONDAY, 9), manual: true });
    expect(c.name).toBe('simulated');
    expect(c.mode).toBe('simulated');
    await c.start(sink());
    await c.stop();
    await c.stop();
    expect(c.advanceBy(60_000)).toBe(0);
  });

  it('reports the running processes, then exactly the generated events as virtual time moves (manual drive)', async () => {
    const behaviour = createBehaviour({ fleet });
    const start = at(MONDAY, 10);
    const s = sink();
    const c = new SimulatedCollector({ behaviour, host, startMs: start, manual: true });
    await c.start(s);
    const snapshot = s.calls.flat();
    expect(snapshot.length).toBeGreaterThan(20);
    expect(snapshot.every((e) => e.processStart && e.timeMs! < start)).toBe(true);
    expect(snapshot.some((e) => e.processStart!.image === 'C:\\Windows\\explorer.exe')).toBe(true);
    s.calls.length = 0;
    let n = 0;
    for (let i = 0; i < 120; i++) n += c.advanceBy(30_000);
    expect(c.virtualNow).toBe(start + 3_600_000);
    const streamed = s.calls.flat();
    expect(n).toBe(streamed.length);
    expect(c.emitted).toBe(snapshot.length + streamed.length);
    expect(JSON.stringify(streamed)).toBe(JSON.stringify(behaviour.generate(host, start, start + 3_600_000)));
    expect(checkTree(snapshot, streamed).problems).toEqual([]);
    await c.stop();
  });

  it('runs on a real-time timer, accelerated, without sleeping (fake timers and clock)', async () => {
    vi.useFakeTimers();
    let now = 1_000_000;
    const behaviour = createBehaviour({ fleet });
    const start = at(MONDAY, 10);
    const s = sink();
    const c = new SimulatedCollector({ behaviour, host, startMs: start, acceleration: 60, tickMs: 250, snapshot: false, now: () => now });
    await c.start(s);
    for (let i = 0; i < 40; i++) {
      now += 250;
      vi.advanceTimersByTime(250);
    }
    // 10 s of real time at 60x: ten virtual minutes.
    expect(c.virtualNow).toBe(start + 600_000);
    expect(JSON.stringify(s.calls.flat())).toBe(JSON.stringify(behaviour.generate(host, start, start + 600_000)));
    await c.stop();
    now += 10_000;
    vi.advanceTimersByTime(10_000);
    expect(c.virtualNow).toBe(start + 600_000);
  });

  it('pushes a load-test rate and splits large deliveries', async () => {
    const behaviour = createBehaviour({ fleet });
    const start = at(MONDAY, 10);
    const count = async (rate: number) => {
      const s = sink();
      const c = new SimulatedCollector({ behaviour, host, startMs: start, manual: true, snapshot: false, rate, maxChunk: 500 });
      await c.start(s);
      c.advanceBy(600_000);
      await c.stop();
      expect(s.calls.every((call) => call.length <= 500)).toBe(true);
      return s.calls.flat().length;
    };
    const base = await count(1);
    const loaded = await count(50);
    console.log(`one workstation, 10 virtual minutes at 10:00: ${base} events at rate 1, ${loaded} at rate 50`);
    expect(loaded).toBeGreaterThan(base * 20);
  });

  it('delivers a scenario scheduled while it runs', async () => {
    const behaviour = createBehaviour({ fleet });
    const start = at(MONDAY, 10);
    const s = sink();
    const c = new SimulatedCollector({ behaviour, host, startMs: start, manual: true, snapshot: false });
    await c.start(s);
    c.advanceBy(60_000);
    const r = behaviour.scheduleScenario('credential-dumping', { atMs: c.virtualNow + 5_000, host });
    expect(r.ok).toBe(true);
    c.advanceBy(600_000);
    expect(s.calls.flat().filter((e) => e.label === 'credential-dumping').length).toBeGreaterThan(10);
    await c.stop();
  });
});
