import { describe, expect, it } from 'vitest';
import { createBehaviour, createFleet, DAY_MS, HOUR_MS } from '../../../../sensors/simulate/behaviour/index.js';
import { at, MONDAY } from './helpers.js';

describe('daily rhythm', () => {
  const fleet = createFleet({ hosts: 300, seed: 12 });
  const b = createBehaviour({ fleet });
  const count = (from: number, hosts = fleet) => hosts.reduce((n, h) => n + b.generate(h, from, from + HOUR_MS).length, 0);

  it('is busier at 10:00 than at 03:00, across the fleet and on workstations', () => {
    const night = count(at(MONDAY, 3));
    const morning = count(at(MONDAY, 10));
    console.log(`fleet of ${fleet.length}: ${night} events 03:00-04:00, ${morning} events 10:00-11:00`);
    expect(morning).toBeGreaterThan(night * 8);
    const ws = fleet.filter((h) => h.role === 'workstation').slice(0, 40);
    expect(count(at(MONDAY, 10), ws)).toBeGreaterThan(count(at(MONDAY, 3), ws) * 20);
  });

  it('dips at lunch and is quiet at the weekend', () => {
    const ws = fleet.filter((h) => h.role === 'workstation').slice(0, 60);
    expect(count(at(MONDAY, 12.5), ws)).toBeLessThan(count(at(MONDAY, 10), ws) * 0.75);
    const saturday = MONDAY + 5 * DAY_MS;
    expect(count(at(saturday, 10), ws)).toBeLessThan(count(at(MONDAY, 10), ws) * 0.15);
  });

  it('varies per host: some users are much busier than others', () => {
    const ws = fleet.filter((h) => h.role === 'workstation').slice(0, 60);
    const counts = ws.map((h) => b.generate(h, at(MONDAY, 9), at(MONDAY, 17)).length).filter((n) => n > 0).sort((x, y) => x - y);
    expect(counts[counts.length - 1]! / counts[0]!).toBeGreaterThan(2);
  });

  it('runs nightly jobs at night: backups on servers between 22:00 and 05:00', () => {
    const servers = fleet.filter((h) => h.role !== 'workstation');
    const backups = servers.flatMap((h) => b.generate(h, at(MONDAY, 12), at(MONDAY, 12) + DAY_MS))
      .filter((e) => /wbadmin\.exe" start backup|backup\.sh/.test(e.processStart?.commandLine ?? ''));
    expect(backups.length).toBeGreaterThanOrEqual(servers.length - servers.filter((h) => h.role === 'linux-backup').length);
    for (const e of backups) {
      const hour = new Date(e.timeMs! + 3_600_000).getUTCHours();
      expect(hour >= 22 || hour < 5, `${e.host} ${hour}h`).toBe(true);
    }
  });
});
