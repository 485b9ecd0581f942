/** Linux server workloads: admins over ssh, nginx in front of the town portal, PostgreSQL, monitoring. */
import { publicClientIp } from '../catalog.js';
import { MINUTE_MS } from '../clock.js';
import { ADMINS } from '../names.js';
import { weighted } from '../prng.js';
import { ROOT, linuxAdmin } from '../who.js';
import type { Activity } from './types.js';
import { clientIp } from './windows-server.js';

const ADMIN_COMMANDS: ReadonlyArray<readonly [string, string]> = [
  ['/usr/bin/systemctl', 'systemctl status nginx'],
  ['/usr/bin/journalctl', 'journalctl -u nginx --since "1 hour ago"'],
  ['/usr/bin/df', 'df -h'],
  ['/usr/bin/free', 'free -m'],
  ['/usr/bin/tail', 'tail -n 200 /var/log/syslog'],
  ['/usr/bin/ps', 'ps aux --sort=-%cpu'],
  ['/usr/bin/ss', 'ss -tlnp'],
  ['/usr/bin/uptime', 'uptime'],
  ['/usr/bin/less', 'less /var/log/backup.log'],
];

/** An administrator logs in over ssh from the syndicate's jump host and looks around. */
const sshAdmin: Activity = ({ b, rng, boot }, t) => {
  const admin = rng.pick(ADMINS);
  const who = linuxAdmin(admin);
  const sshd = boot.get('sshd');
  b.accept(t, sshd, '10.0.10.5', 22, 20_000 + rng.int(200_000), 5000 + rng.int(40_000));
  const priv = b.spawn(t + 40, sshd, '/usr/sbin/sshd', `sshd: ${admin} [priv]`, ROOT);
  const sess = b.spawn(t + 600, priv, '/usr/sbin/sshd', `sshd: ${admin}@pts/0`, who);
  const bash = b.spawn(t + 650, sess, '/usr/bin/bash', '-bash', who);
  let at = t + 5000;
  for (let i = 1 + rng.int(5); i > 0; i--) {
    at += 3000 + rng.int(60_000);
    const [image, cmd] = rng.pick(ADMIN_COMMANDS);
    if (rng.chance(0.2)) {
      const sudo = b.spawn(at, bash, '/usr/bin/sudo', `sudo ${cmd}`, { ...who, uid: 0, gid: 0, user: 'root' });
      const p = b.spawn(at + 150, sudo, image, cmd, ROOT);
      b.exit(at + 1500 + rng.int(8000), p);
      b.exit(at + 9600, sudo);
    } else {
      const p = b.spawn(at, bash, image, cmd);
      b.exit(at + 100 + rng.int(20_000), p);
    }
  }
  const end = at + 30_000 + rng.int(2 * MINUTE_MS);
  b.exit(end, bash);
  b.exit(end + 20, sess);
  b.exit(end + 40, priv);
};

/** A request to the town portal: nginx worker -> node app -> PostgreSQL. */
const portalRequest: Activity = ({ b, rng, boot, host }, t) => {
  const worker = boot.get(rng.chance(0.5) ? 'nginx-w1' : 'nginx-w2');
  const from = rng.chance(0.5) ? clientIp(host, rng) : publicClientIp(rng);
  b.accept(t, worker, from, 443, 3000 + rng.int(300_000), 800 + rng.int(5000));
  const app = boot.get('app');
  b.connect(t + 3, worker, '127.0.0.1', 3000, 900 + rng.int(4000), 2000 + rng.int(200_000));
  const db = host.infra.db;
  if (db && rng.chance(0.4)) b.connect(t + 8, app, db.ip, 5432, 600 + rng.int(3000), 1000 + rng.int(80_000));
};

/** PostgreSQL forks a backend per client connection. */
const pgSession: Activity = ({ b, rng, boot, host }, t) => {
  const pg = boot.get('postgres');
  const web = host.infra.web;
  const from = web && rng.chance(0.8) ? web.ip : clientIp(host, rng);
  const port = 32768 + rng.int(28000);
  b.accept(t, pg, from, 5432, 1000 + rng.int(500_000), 600 + rng.int(20_000));
  const backend = b.spawn(t + 2, pg, pg.image, `postgres: 15/main: portail portail ${from}(${port}) idle`);
  b.exit(t + rng.duration(20_000, 50, 10 * MINUTE_MS), backend);
};

const scrape: Activity = ({ b, rng, boot }, t) => {
  b.accept(t, boot.get('exporter'), '10.0.10.20', 9100, 30_000 + rng.int(20_000), 300);
};

export const LINUX_BASE = weighted<Activity>([[scrape, 1]]);
export const LINUX_ADMIN = weighted<Activity>([[sshAdmin, 1]]);
export const LINUX_WEB = weighted<Activity>([[portalRequest, 1]]);
export const LINUX_DB = weighted<Activity>([[pgSession, 1]]);
