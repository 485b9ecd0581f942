/**
 * Training data the repository can make itself: the simulated fleet's benign behaviour
 * (sensors/simulate/behaviour), seeded and reproducible. The default models are trained on it
 * (`npm run models:build`), so anyone can rebuild them bit for bit without any recorded data.
 *
 * Events come hour by hour, host after host within an hour (each host's events in time order), as
 * an engine would receive them from a fleet; each event's group is its host (hosts are the
 * independent units of simulated data) and its tenant the host's town.
 */
import { unwrap } from '../../common/errors.js';
import type { Event } from '../../common/events.js';
import { createBehaviour, createFleet, DEFAULT_FLEET_START_MS, HOUR_MS } from '../../sensors/simulate/behaviour/index.js';
import type { LabelledEvents } from '../dataset/labelled-log.js';

export interface SimulatedDataOptions {
  hosts: number;
  hours: number;
  seed: number;
  /** Virtual start; default the fleet's default start (a Monday, 00:00 Paris time). */
  startMs?: number;
  /**
   * Attack scenarios to play (labelled: their events carry the scenario's name), for evaluation
   * data; the default models train on benign behaviour only.
   */
  scenarios?: ReadonlyArray<{ name: string; host: number; atHour: number }>;
  /** Called after each simulated hour. */
  onHour?: (hour: number, events: number) => void;
}

export function simulatedEvents(o: SimulatedDataOptions): LabelledEvents {
  const startMs = o.startMs ?? DEFAULT_FLEET_START_MS;
  const fleet = createFleet({ hosts: o.hosts, seed: o.seed, startMs });
  const behaviour = createBehaviour({ fleet, rate: 1 });
  for (const s of o.scenarios ?? []) {
    const host = fleet[s.host % fleet.length]!;
    unwrap(behaviour.scheduleScenario(s.name, { atMs: startMs + s.atHour * HOUR_MS, host }));
  }
  const events: Event[] = [];
  const groups: string[] = [];
  const tenants: string[] = [];
  for (let h = 0; h < o.hours; h++) {
    const from = startMs + h * HOUR_MS;
    for (const host of fleet) {
      for (const e of behaviour.generate(host, from, from + HOUR_MS)) {
        events.push(e);
        groups.push(host.sensorId);
        tenants.push(host.tenant);
      }
    }
    o.onHour?.(h + 1, events.length);
  }
  return {
    events, groups, tenants,
    files: [`simulated:${o.hosts}-hosts:${o.hours}h:seed-${o.seed}`],
    skipped: 0, malformed: 0, problems: [],
  };
}
