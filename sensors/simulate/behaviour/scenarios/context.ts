/** Builds a scenario's context and runs it: labelled builders per host, desktops, the result per host. */
import { bootSet } from '../boot.js';
import { dayOf, MINUTE_MS } from '../clock.js';
import { Builder, byTime, scenarioBand, type TimedEvent } from '../emit.js';
import type { VirtualHost } from '../fleet.js';
import { workstationIp } from '../fleet.js';
import { hashString, Rng } from '../prng.js';
import { sessionFor } from '../session.js';
import { ROOT, linuxAdmin, winUser } from '../who.js';
import type { Desktop, Scenario } from './types.js';

export interface ScenarioOutput {
  /** Events per host name, each list in time order. */
  readonly events: ReadonlyMap<string, TimedEvent[]>;
}

export function runScenario(
  scenario: Scenario, seq: number, atMs: number, host: VirtualHost, target: VirtualHost | null, params: Readonly<Record<string, number>>,
): ScenarioOutput {
  const rng = new Rng(host.seed, 0x5ce7, hashString(scenario.name), atMs);
  const builders = new Map<string, Builder>();
  const events = new Map<string, TimedEvent[]>();
  const on = (h: VirtualHost): Builder => {
    let b = builders.get(h.name);
    if (!b) {
      const out: TimedEvent[] = [];
      events.set(h.name, out);
      // Each host gets its own random stream so that adding a host does not change the others.
      b = new Builder(h, new Rng(h.seed, 0x5ce8, seq, atMs), out, scenario.name, scenarioBand(h, seq));
      builders.set(h.name, b);
    }
    return b;
  };
  const desktops = new Map<string, Desktop>();
  const desktop = (h: VirtualHost, t: number, account?: string): Desktop => {
    const key = `${h.name}|${account ?? ''}`;
    const known = desktops.get(key);
    if (known) return known;
    const d = openDesktop(on(h), h, t, account);
    desktops.set(key, d);
    return d;
  };
  scenario.build({ name: scenario.name, atMs, host, target, rng, params, on, boot: bootSet, desktop });
  for (const list of events.values()) list.sort(byTime);
  return { events };
}

function openDesktop(b: Builder, h: VirtualHost, t: number, account?: string): Desktop {
  const boot = bootSet(h);
  if (h.os === 'linux') {
    const user = account ?? h.user;
    const who = user === 'root' ? ROOT : linuxAdmin(user);
    const sshd = boot.get('sshd');
    const from = h.infra.workstations > 0 ? workstationIp(h.infra, b.rng.int(h.infra.workstations)) : '10.0.10.5';
    b.accept(t - 60_000, sshd, from, 22, 40_000, 9000);
    const priv = b.spawn(t - 59_000, sshd, '/usr/sbin/sshd', `sshd: ${user} [priv]`, ROOT);
    const sess = b.spawn(t - 58_500, priv, '/usr/sbin/sshd', `sshd: ${user}@pts/1`, who);
    const bash = b.spawn(t - 58_400, sess, '/usr/bin/bash', '-bash', who);
    return { shell: bash, who, outlook: null };
  }
  if (!account) {
    const s = sessionFor(h, dayOf(t, h.utcOffsetMs));
    if (s && t >= s.activeFrom && t < s.logoffMs - 30 * MINUTE_MS) return { shell: s.explorer, who: s.who, outlook: s.outlook };
  }
  // Nobody is logged on: the attacker opens an RDP session (from another workstation of the town).
  const user = account ?? h.user;
  const who = winUser(h, user, `0x${(0x300000 + b.rng.int(0xfffff)).toString(16)}`, account ? 'High' : 'Medium');
  const from = h.infra.workstations > 0 ? workstationIp(h.infra, b.rng.int(h.infra.workstations)) : `${h.infra.prefix}1.20`;
  b.accept(t - 90_000, boot.get('termsvc'), from, 3389, 900_000, 200_000);
  const userinit = b.spawn(t - 85_000, boot.get('winlogon'), 'C:\\Windows\\System32\\userinit.exe', 'C:\\Windows\\system32\\userinit.exe', who);
  const explorer = b.spawn(t - 84_000, userinit, 'C:\\Windows\\explorer.exe', 'C:\\Windows\\Explorer.EXE');
  b.exit(t - 78_000, userinit);
  return { shell: explorer, who, outlook: null };
}
