import { describe, expect, it } from 'vitest';
import type { Event } from '../../../../common/events.js';
import { processKey } from '../../../../common/events.js';
import { createBehaviour, scenarioNames, type Behaviour, type VirtualHost } from '../../../../sensors/simulate/behaviour/index.js';
import { sessionFor } from '../../../../sensors/simulate/behaviour/session.js';
import { dayOf } from '../../../../sensors/simulate/behaviour/clock.js';
import { at, byRole, MONDAY, townFleet } from './helpers.js';

const fleet = townFleet(3);
const ws = fleet.filter((h) => h.role === 'workstation');
const DAY = MONDAY;
const isPrivate = (ip: string) => /^(10\.|127\.|192\.168\.)/.test(ip);

/** A workstation whose user is at work at `atMs`. */
function working(atMs: number, skip = 0): VirtualHost {
  return ws.filter((h) => {
    const s = sessionFor(h, dayOf(atMs, h.utcOffsetMs));
    return s && atMs > s.activeFrom && atMs < s.activeTo;
  })[skip]!;
}

function labelled(b: Behaviour, host: VirtualHost, name: string, from: number, to: number): Event[] {
  return b.generate(host, from, to).filter((e) => e.label === name);
}

function schedule(b: Behaviour, name: string, o: Parameters<Behaviour['scheduleScenario']>[1]) {
  const r = b.scheduleScenario(name, o);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const starts = (events: Event[]) => events.filter((e) => e.processStart).map((e) => e.processStart!);
const image = (p: { image?: string | null }) => (p.image ?? '').split('\\').pop()!.toLowerCase();

describe('scenario registry', () => {
  it('lists the scenarios and rejects unknown names or unusable hosts with a config error', () => {
    expect(scenarioNames).toEqual(['phishing-encoded-shell', 'credential-dumping', 'lateral-movement', 'ransomware', 'beaconing-c2']);
    const b = createBehaviour();
    const unknown = b.scheduleScenario('nope', { atMs: DAY, host: ws[0]! });
    expect(!unknown.ok && unknown.error.code).toBe('VIGIE_CONFIG_INVALID');
    const linux = b.scheduleScenario('credential-dumping', { atMs: DAY, host: byRole(fleet, 'linux-web') });
    expect(!linux.ok && linux.error.message).toMatch(/Windows/);
    const noTarget = b.scheduleScenario('lateral-movement', { atMs: DAY, host: ws[0]! });
    expect(!noTarget.ok && noTarget.error.message).toMatch(/target/);
  });
});

describe('phishing-encoded-shell', () => {
  it('chains outlook.exe -> winword.exe -> powershell -enc <download cradle> -> external connection, all labelled', () => {
    const t = at(DAY, 10.5);
    const host = working(t);
    const b = createBehaviour({ fleet });
    schedule(b, 'phishing-encoded-shell', { atMs: t, host });
    const events = labelled(b, host, 'phishing-encoded-shell', t - 3_600_000, t + 3_600_000);
    const word = starts(events).find((p) => image(p) === 'winword.exe')!;
    // The user's own Outlook, from the session, opens the attachment.
    expect(word.parent).toEqual({ pid: sessionFor(host, dayOf(t, host.utcOffsetMs))!.outlook.pid, startTimeMs: sessionFor(host, dayOf(t, host.utcOffsetMs))!.outlook.start });
    expect(image({ image: word.parentImage })).toBe('outlook.exe');
    expect(word.commandLine).toMatch(/Content\.Outlook\\[A-F0-9]{8}\\.+\.docm"/);
    const ps = starts(events).find((p) => image(p) === 'powershell.exe')!;
    expect(ps.parent).toEqual(word.process);
    const b64 = /-enc ([A-Za-z0-9+/=]+)$/.exec(ps.commandLine!)![1]!;
    const script = Buffer.from(b64, 'base64').toString('utf16le');
    expect(script).toMatch(/IEX .*\.DownloadString\('http:\/\/(\d+\.\d+\.\d+\.\d+)\/[\w.]+'\)/);
    const ip = /http:\/\/([\d.]+)\//.exec(script)![1]!;
    const conns = events.filter((e) => e.network && processKey(e.network.process) === processKey(ps.process));
    expect(conns.some((e) => e.network!.remoteAddress === ip && !isPrivate(ip))).toBe(true);
    expect(starts(events).filter((p) => processKey(p.parent) !== processKey(word.parent)).map((p) => image(p))).toEqual(
      expect.arrayContaining(['whoami.exe', 'net.exe', 'nltest.exe']),
    );
    // Benign events around it stay unlabelled.
    expect(b.generate(host, t - 600_000, t).every((e) => e.label === '')).toBe(true);
  });

  it('opens its own desktop and Outlook when nobody is logged on', () => {
    const b = createBehaviour({ fleet });
    const t = at(DAY, 3);
    schedule(b, 'phishing-encoded-shell', { atMs: t, host: ws[0]! });
    const events = labelled(b, ws[0]!, 'phishing-encoded-shell', t - 3_600_000, t + 3_600_000);
    expect(starts(events).map(image).slice(0, 4)).toEqual(['userinit.exe', 'explorer.exe', 'outlook.exe', 'winword.exe']);
  });
});

describe('credential-dumping', () => {
  it.each([
    [0, /rundll32\.exe C:\\Windows\\System32\\comsvcs\.dll, MiniDump (\d+) \S+ full/],
    [1, /procdump64\.exe -accepteula -ma lsass\.exe/],
    [2, /sekurlsa::logonpasswords/],
  ])('variant %i dumps LSASS from an elevated shell', (variant, pattern) => {
    const b = createBehaviour({ fleet });
    const host = ws[5]!;
    const t = at(DAY, 11);
    schedule(b, 'credential-dumping', { atMs: t, host, params: { variant } });
    const events = labelled(b, host, 'credential-dumping', t - 3_600_000, t + 3_600_000);
    const dump = starts(events).find((p) => pattern.test(p.commandLine!))!;
    expect(dump.integrityLevel).toBe('High');
    expect(image({ image: dump.parentImage })).toBe('cmd.exe');
    if (variant === 0) {
      const lsass = b.snapshot(host).find((e) => e.processStart!.image!.endsWith('lsass.exe'))!;
      expect(Number(pattern.exec(dump.commandLine!)![1])).toBe(lsass.processStart!.process!.pid);
    }
    expect(events.some((e) => e.network && !isPrivate(e.network.remoteAddress!) && e.network.remotePort === 443)).toBe(true);
  });
});

describe('lateral-movement', () => {
  const src = ws[7]!;
  const dst = byRole(fleet, 'file-server');
  it.each([
    [0, ['services.exe', 'psexesvc.exe', 'cmd.exe'], 445],
    [1, ['svchost.exe', 'wmiprvse.exe', 'cmd.exe'], 135],
    [2, ['svchost.exe', 'wsmprovhost.exe', 'whoami.exe'], 5985],
  ] as const)('variant %i runs commands on the target, with events on both hosts', (variant, chain, port) => {
    const b = createBehaviour({ fleet });
    const t = at(DAY, 14);
    const s = schedule(b, 'lateral-movement', { atMs: t, host: src, target: dst, params: { variant } });
    expect(Object.keys(s.counts).sort()).toEqual([src.name, dst.name].sort());
    const onSrc = labelled(b, src, 'lateral-movement', t - 3_600_000, t + 3_600_000);
    const onDst = labelled(b, dst, 'lateral-movement', t - 3_600_000, t + 3_600_000);
    expect(onSrc.some((e) => e.network?.remoteAddress === dst.ip && e.network.remotePort === port)).toBe(true);
    expect(onDst.some((e) => e.network?.remoteAddress === src.ip && e.network.localPort === port && e.network.direction === 2)).toBe(true);
    const child = starts(onDst).find((p) => image(p) === chain[2] && image({ image: p.parentImage }) === chain[1])!;
    const middle = starts(onDst).find((p) => processKey(p.process) === processKey(child.parent))!;
    expect(image({ image: middle.parentImage })).toBe(chain[0]);
  });

  it('defaults the target to the town file server when the behaviour knows the fleet', () => {
    const b = createBehaviour({ fleet });
    expect(schedule(b, 'lateral-movement', { atMs: at(DAY, 9), host: src }).target).toBe(dst.name);
  });
});

describe('ransomware', () => {
  it('deletes shadows, disables recovery, renames files en masse and hammers the file server over SMB', () => {
    const b = createBehaviour({ fleet });
    const host = ws[9]!;
    const fs = byRole(fleet, 'file-server');
    const t = at(DAY, 16);
    const s = schedule(b, 'ransomware', { atMs: t, host });
    expect(s.target).toBe(fs.name);
    const events = labelled(b, host, 'ransomware', t - 3_600_000, t + 3_600_000);
    const cmds = starts(events).map((p) => p.commandLine!);
    expect(cmds).toEqual(expect.arrayContaining([
      'vssadmin.exe  delete shadows /all /quiet', 'bcdedit.exe  /set {default} recoveryenabled No', 'wbadmin.exe  delete catalog -quiet',
    ]));
    const renames = starts(events).filter((p) => /cmd\.exe \/c ren /.test(p.commandLine!));
    expect(renames.length).toBe(200);
    const span = Number(renames[renames.length - 1]!.process!.startTimeMs) - Number(renames[0]!.process!.startTimeMs);
    expect(span).toBeLessThan(60_000);
    expect(events.filter((e) => e.network?.remoteAddress === fs.ip && e.network.remotePort === 445).length).toBeGreaterThan(20);
    const onFs = labelled(b, fs, 'ransomware', t - 3_600_000, t + 3_600_000);
    expect(onFs.length).toBeGreaterThan(5);
    expect(onFs.every((e) => e.network?.remoteAddress === host.ip && e.network.localPort === 445)).toBe(true);
    expect(cmds.some((c) => /NOTEPAD\.EXE" .*LISEZ-MOI/.test(c))).toBe(true);
  });
});

describe('beaconing-c2', () => {
  it('calls one rare domain every minute with small jitter, resolving it by DNS', () => {
    const b = createBehaviour({ fleet });
    const host = ws[11]!;
    const t = at(DAY, 9);
    schedule(b, 'beaconing-c2', { atMs: t, host, params: { intervalMs: 60_000, jitterPct: 10, durationMs: 2 * 3_600_000 } });
    const events = labelled(b, host, 'beaconing-c2', t, t + 3 * 3_600_000);
    const conns = events.filter((e) => e.network);
    expect(conns.length).toBeGreaterThan(100);
    expect(new Set(conns.map((e) => e.network!.remoteAddress)).size).toBe(1);
    const gaps = conns.slice(1).map((e, i) => e.timeMs! - conns[i]!.timeMs!);
    expect(Math.min(...gaps)).toBeGreaterThan(60_000 * 0.9 - 100);
    expect(Math.max(...gaps)).toBeLessThan(60_000 * 1.1 + 100);
    const dns = events.filter((e) => e.dns);
    expect(dns.length).toBeGreaterThan(10);
    expect(new Set(dns.map((e) => e.dns!.queryName)).size).toBe(1);
    expect(dns[0]!.dns!.answers).toBe(conns[0]!.network!.remoteAddress);
    const implant = starts(events)[0]!;
    expect(implant.commandLine).toMatch(/rundll32\.exe" .+\.dll,DllGetClassObject/);
    expect(image({ image: implant.parentImage })).toBe('svchost.exe');
  });

  it('runs on Linux from cron, with resolver traffic instead of DNS events', () => {
    const b = createBehaviour({ fleet });
    const host = byRole(fleet, 'linux-web');
    const t = at(DAY, 2);
    schedule(b, 'beaconing-c2', { atMs: t, host, params: { durationMs: 3_600_000 } });
    const events = labelled(b, host, 'beaconing-c2', t, t + 2 * 3_600_000);
    expect(starts(events).map((p) => p.commandLine)).toEqual(['/usr/sbin/CRON -f', '/bin/sh -c /var/tmp/.cache/.kdevtmpfs >/dev/null 2>&1', '/var/tmp/.cache/.kdevtmpfs']);
    expect(events.some((e) => e.dns)).toBe(false);
    expect(events.filter((e) => e.network?.remotePort === 53).length).toBeGreaterThan(5);
  });

  it('reaches streams that are already running when scheduled', () => {
    const b = createBehaviour({ fleet });
    const host = ws[12]!;
    const stream = b.stream(host, at(DAY, 8));
    stream.take(at(DAY, 9));
    schedule(b, 'beaconing-c2', { atMs: at(DAY, 9.5), host, params: { durationMs: 600_000 } });
    expect(stream.take(at(DAY, 10)).filter((e) => e.label === 'beaconing-c2').length).toBeGreaterThan(10);
  });
});
