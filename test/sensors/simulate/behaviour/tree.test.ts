import { describe, expect, it } from 'vitest';
import { createBehaviour, DAY_MS, scenarioNames } from '../../../../sensors/simulate/behaviour/index.js';
import { at, byRole, checkTree, MONDAY, townFleet } from './helpers.js';

describe('process trees', () => {
  const fleet = townFleet(7);
  const hosts = [
    ...['dc', 'file-server', 'app-server', 'linux-web', 'linux-db', 'linux-backup'].map((r) => byRole(fleet, r as never)),
    ...fleet.filter((h) => h.role === 'workstation').slice(0, 12),
  ];

  it('is consistent over two whole days on every role: parents known and alive, exits match starts, no live pid reuse', () => {
    const b = createBehaviour({ fleet });
    for (const host of hosts) {
      const events = b.generate(host, MONDAY, MONDAY + 2 * DAY_MS);
      const report = checkTree(b.snapshot(host, MONDAY), events);
      expect(report.problems, `${host.name} (${host.role})`).toEqual([]);
      expect(report.starts, host.name).toBeGreaterThan(50);
      expect(report.exits, host.name).toBeGreaterThan(report.starts * 0.8);
    }
  });

  it('stays consistent with every scenario scheduled, on source and target hosts', () => {
    const b = createBehaviour({ fleet });
    const ws = fleet.filter((h) => h.role === 'workstation');
    const times = [at(MONDAY, 10), at(MONDAY, 3), at(MONDAY, 15.5)];
    scenarioNames.forEach((name, i) => {
      for (const [j, atMs] of times.entries()) {
        const r = b.scheduleScenario(name, { atMs: atMs + i * 60_000, host: ws[i * 3 + j]! });
        expect(r.ok, name).toBe(true);
      }
    });
    expect(b.scheduleScenario('beaconing-c2', { atMs: at(MONDAY, 11), host: byRole(fleet, 'linux-web') }).ok).toBe(true);
    expect(b.scheduleScenario('credential-dumping', { atMs: at(MONDAY, 2), host: byRole(fleet, 'dc') }).ok).toBe(true);
    const touched = new Set(b.scheduled().flatMap((s) => Object.keys(s.counts)));
    for (const host of fleet.filter((h) => touched.has(h.name))) {
      const report = checkTree(b.snapshot(host, MONDAY), b.generate(host, MONDAY, MONDAY + DAY_MS));
      expect(report.problems, host.name).toEqual([]);
    }
  });

  it('snapshots mid-day include the running session, so a stream started then is consistent too', () => {
    const b = createBehaviour({ fleet });
    for (const host of hosts) {
      const from = at(MONDAY, 10.37);
      const snap = b.snapshot(host, from);
      const report = checkTree(snap, b.generate(host, from, from + 3 * 3_600_000));
      expect(report.problems, host.name).toEqual([]);
      if (host.role === 'workstation' && snap.some((e) => /explorer\.exe$/i.test(e.processStart!.image!))) {
        expect(snap.some((e) => /OUTLOOK\.EXE$/.test(e.processStart!.image!))).toBe(true);
      }
    }
  });

  it('builds real-looking trees: services.exe -> svchost -k, explorer -> browser -> renderers, systemd -> cron -> sh -c', () => {
    const b = createBehaviour({ fleet });
    const ws = fleet.find((h) => h.role === 'workstation' && h.browser === 'chrome')!;
    const snap = b.snapshot(ws);
    const services = snap.find((e) => e.processStart!.image === 'C:\\Windows\\System32\\services.exe')!.processStart!;
    expect(services.parentImage).toBe('C:\\Windows\\System32\\wininit.exe');
    expect(snap.filter((e) => e.processStart!.parent!.pid === services.process!.pid && /svchost\.exe -k /.test(e.processStart!.commandLine!)).length).toBeGreaterThan(5);
    const day = b.generate(ws, at(MONDAY, 6), at(MONDAY, 13));
    const chrome = day.filter((e) => e.processStart?.image?.endsWith('chrome.exe'));
    const main = chrome.find((e) => e.processStart!.parentImage === 'C:\\Windows\\explorer.exe');
    if (main) {
      const children = chrome.filter((e) => e.processStart!.parent!.pid === main.processStart!.process!.pid);
      expect(children.some((e) => e.processStart!.commandLine!.includes('--type=renderer'))).toBe(true);
      expect(children.some((e) => e.processStart!.commandLine!.includes('network.mojom.NetworkService'))).toBe(true);
    }
    const linux = byRole(fleet, 'linux-db');
    const cron = b.generate(linux, at(MONDAY, 0), at(MONDAY, 1)).filter((e) => e.processStart?.commandLine?.startsWith('/bin/sh -c '));
    expect(cron.length).toBeGreaterThan(5);
    expect(cron[0]!.processStart!.parentCommandLine).toMatch(/^\/usr\/sbin\/CROND? -[fn]$/);
  });
});
