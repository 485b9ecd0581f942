/**
 * Command-and-control beaconing: an implant started by a scheduled task (Windows: rundll32 with a
 * DLL in the user profile; Linux: a hidden binary started from cron) calls one rare domain at a
 * fixed interval with small jitter, small requests and replies, and now and then a larger tasking.
 * params: intervalMs (default 60 000), jitterPct (default 10), durationMs (default 2 h).
 */
import { RUNDLL32 } from '../paths.js';
import { ROOT } from '../who.js';
import type { Proc } from '../emit.js';
import type { Rng } from '../prng.js';
import { attackerIp, type Scenario } from './types.js';

/** A plausible-looking, never-seen-before domain. */
export function rareDomain(rng: Rng): string {
  const a = rng.pick(['cdn', 'api', 'static', 'sync', 'telemetry', 'update', 'assets']);
  const b = rng.pick(['azure-edge', 'msft-cloud', 'office-sync', 'cloudfront-svc', 'akam-node']);
  return `${a}-${b}-${rng.hex(4)}.${rng.pick(['com', 'net', 'info', 'xyz', 'top'])}`;
}

export const beaconingC2: Scenario = {
  name: 'beaconing-c2',
  summary: 'An implant started by a scheduled task or cron resolves one rare domain and connects to it every interval (small jitter, small payloads), with occasional larger taskings.',
  techniques: ['T1071.001', 'T1573.002', 'T1053.005', 'T1053.003', 'T1218.011', 'T1029'],
  target: 'none',
  check: () => undefined,
  build(ctx) {
    const { host, atMs: at, rng, params } = ctx;
    const b = ctx.on(host);
    const boot = ctx.boot(host);
    const interval = Math.max(1000, params['intervalMs'] ?? 60_000);
    const jitter = Math.min(50, Math.max(0, params['jitterPct'] ?? 10)) / 100;
    const duration = Math.max(interval, params['durationMs'] ?? 2 * 3_600_000);
    const domain = rareDomain(rng);
    const ip = attackerIp(rng);
    const windows = host.os === 'windows';
    let implant: Proc;
    if (windows) {
      const dll = `C:\\Users\\${host.user}\\AppData\\Local\\Microsoft\\OneDrive\\cache\\oneupd.dll`;
      const who = host.role === 'workstation' ? ctx.desktop(host, at).who : null;
      implant = b.spawn(at, boot.get('schedule'), RUNDLL32, `"C:\\Windows\\system32\\rundll32.exe" ${dll},DllGetClassObject`, who);
    } else {
      const cron = boot.get('cron');
      const launcher = b.spawn(at, cron, cron.image, '/usr/sbin/CRON -f', ROOT);
      const sh = b.spawn(at + 2, launcher, '/usr/bin/sh', '/bin/sh -c /var/tmp/.cache/.kdevtmpfs >/dev/null 2>&1', ROOT);
      implant = b.spawn(at + 5, sh, '/var/tmp/.cache/.kdevtmpfs', '/var/tmp/.cache/.kdevtmpfs', ROOT, '/var/tmp/.cache');
      b.exit(at + 8, sh);
      b.exit(at + 10, launcher);
    }
    const resolver = host.infra.dc.ip;
    const ttlBeats = Math.max(1, Math.round(300_000 / interval));
    let t = at + 1500;
    for (let i = 0; t < at + duration; i++) {
      if (i % ttlBeats === 0) {
        if (windows) b.dns(t, implant, domain, ip);
        else b.udp(t, implant, resolver, 53, 70, 140);
      }
      const tasking = i > 0 && rng.chance(0.06);
      b.connect(t + 20 + rng.int(30), implant, ip, 443, 350 + rng.int(350), tasking ? 20_000 + rng.int(60_000) : 180 + rng.int(220), windows ? domain : '');
      t += Math.round(interval * (1 + jitter * (2 * rng.float() - 1)));
    }
    b.exit(t, implant);
  },
};
