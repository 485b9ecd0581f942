/** Linux scheduled work: cron jobs, systemd timers (apt/dnf, logrotate, certbot), nightly backups. */
import { VENDORS } from '../catalog.js';
import { MINUTE_MS } from '../clock.js';
import type { Builder, Proc, Who } from '../emit.js';
import { BACKUP, POSTGRES, ROOT, linuxUser } from '../who.js';
import type { Activity, ClockJob, SlotCtx } from './types.js';

const SH = '/usr/bin/sh';
const APT = linuxUser('_apt', 42, '/nonexistent');

/** Debian's cron forks a CRON child per job, which runs the line with /bin/sh -c. */
function cronJob(ctx: SlotCtx, t: number, line: string, who: Who, body: (sh: Proc, t: number) => number): void {
  const { b, boot, host } = ctx;
  const cron = boot.get('cron');
  const rocky = host.osVersion.startsWith('Rocky');
  const child = b.spawn(t, cron, cron.image, rocky ? '/usr/sbin/CROND -n' : '/usr/sbin/CRON -f', ROOT);
  const sh = b.spawn(t + 2, child, SH, `/bin/sh -c ${line}`, who, who.cwd);
  const end = body(sh, t + 5);
  b.exit(end + 2, sh);
  b.exit(end + 4, child);
}

/** Runs a short child and returns when it ended. */
function run(b: Builder, t: number, parent: Proc, image: string, cmd: string, ms: number, who: Who | null = null): number {
  const p = b.spawn(t, parent, image, cmd, who);
  b.exit(t + ms, p);
  return t + ms;
}

const sysstat: Activity = (ctx, t) => cronJob(ctx, t, 'command -v debian-sa1 > /dev/null && debian-sa1 1 1', ROOT, (sh, at) => {
  const sa1 = ctx.b.spawn(at, sh, SH, '/bin/sh /usr/lib/sysstat/debian-sa1 1 1');
  const end = run(ctx.b, at + 4, sa1, '/usr/lib/sysstat/sadc', '/usr/lib/sysstat/sadc -F -L -S DISK 1 1 /var/log/sysstat', 1010 + ctx.rng.int(60));
  ctx.b.exit(end + 2, sa1);
  return end + 2;
});

const hourly: Activity = (ctx, t) => cronJob(ctx, t, 'cd / && run-parts --report /etc/cron.hourly', ROOT, (sh, at) =>
  run(ctx.b, at, sh, '/usr/bin/run-parts', 'run-parts --report /etc/cron.hourly', 8 + ctx.rng.int(20)));

const daily: Activity = (ctx, t) => cronJob(ctx, t, 'test -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.daily; }', ROOT, (sh, at) => {
  const { b, rng } = ctx;
  const rp = b.spawn(at, sh, '/usr/bin/run-parts', 'run-parts --report /etc/cron.daily');
  let e = at + 10;
  for (const script of ['apt-compat', 'dpkg', 'man-db']) e = run(b, e + 5, rp, SH, `/bin/sh /etc/cron.daily/${script}`, 200 + rng.int(3000));
  b.exit(e + 5, rp);
  return e + 5;
});

/** Nightly: archive configuration and data, then push them to the backup server over ssh. */
const backup: Activity = (ctx, t) => cronJob(ctx, t, "'/usr/local/sbin/backup.sh >> /var/log/backup.log 2>&1'", ROOT, (sh, at) => {
  const { b, rng, host } = ctx;
  const date = new Date(at + host.utcOffsetMs).toISOString().slice(0, 10).replace(/-/g, '');
  const script = b.spawn(at, sh, '/usr/bin/bash', '/bin/bash /usr/local/sbin/backup.sh');
  let e = at + 50;
  if (host.role === 'linux-db') {
    e = run(b, e, script, '/usr/lib/postgresql/15/bin/pg_dump', `pg_dump -Fc -f /var/backups/pg/portail-${date}.dump portail`, 30_000 + rng.int(120_000), POSTGRES);
  }
  const tar = b.spawn(e + 10, script, '/usr/bin/tar', `tar -czf /var/backups/${host.name}-${date}.tar.gz /etc /srv /var/www /var/backups/pg`);
  const gz = b.spawn(e + 15, tar, '/usr/bin/gzip', 'gzip');
  e += 20_000 + rng.int(120_000);
  b.exit(e, gz);
  b.exit(e + 5, tar);
  const target = host.infra.backup;
  const rsync = b.spawn(e + 20, script, '/usr/bin/rsync', `rsync -az --delete /var/backups/ backup@${target.fqdn}:/srv/backups/${host.name}/`);
  const ssh = b.spawn(e + 25, rsync, '/usr/bin/ssh', `ssh -l backup ${target.fqdn} rsync --server -logDtprze.iLsfxCIvu --delete . /srv/backups/${host.name}/`);
  b.connect(e + 60, ssh, target.ip, 22, 20_000_000 + rng.int(900_000_000), 90_000 + rng.int(400_000));
  e += 60_000 + rng.int(4 * MINUTE_MS);
  b.exit(e, ssh);
  b.exit(e + 5, rsync);
  b.exit(e + 10, script);
  return e + 10;
});

/** The backup server receives the other servers' nightly pushes (sshd -> rsync --server). */
const backupIn: Activity = ({ b, rng, boot, host }, t) => {
  const from = `${host.infra.prefix}0.${10 + rng.int(6)}`;
  const sshd = boot.get('sshd');
  b.accept(t, sshd, from, 22, 60_000 + rng.int(400_000), 20_000_000 + rng.int(900_000_000));
  const priv = b.spawn(t + 30, sshd, '/usr/sbin/sshd', 'sshd: backup [priv]', ROOT);
  const session = b.spawn(t + 300, priv, '/usr/sbin/sshd', 'sshd: backup@notty', BACKUP);
  const rs = b.spawn(t + 400, session, '/usr/bin/rsync', 'rsync --server -logDtprze.iLsfxCIvu --delete . /srv/backups/');
  const end = t + rng.duration(4 * MINUTE_MS, MINUTE_MS, 12 * MINUTE_MS);
  b.exit(end, rs);
  b.exit(end + 20, session);
  b.exit(end + 40, priv);
};

const packages: Activity = ({ b, rng, boot, host }, t) => {
  const systemd = boot.get('systemd');
  if (host.osVersion.startsWith('Rocky')) {
    const dnf = b.spawn(t, systemd, '/usr/bin/python3.9', '/usr/bin/python3 /usr/bin/dnf makecache --timer', ROOT);
    b.connect(t + 900, dnf, `${VENDORS.rocky.block}${10 + rng.int(50)}`, 443, 3000, 400_000 + rng.int(9_000_000));
    b.exit(t + rng.duration(40_000, 8000, 4 * MINUTE_MS), dnf);
    return;
  }
  const mirror = host.osVersion.startsWith('Ubuntu') ? VENDORS.ubuntu : VENDORS.debian;
  const daily = b.spawn(t, systemd, SH, '/bin/sh /usr/lib/apt/apt.systemd.daily update', ROOT);
  const get = b.spawn(t + 300, daily, '/usr/bin/apt-get', 'apt-get -qq -y update');
  for (let i = 0; i < 2; i++) {
    const m = b.spawn(t + 500 + i * 30, get, '/usr/lib/apt/methods/http', '/usr/lib/apt/methods/http', APT, '/');
    b.connect(t + 700 + i * 40, m, `${mirror.block}${1 + rng.int(254)}`, 80, 1500, 40_000 + rng.int(3_000_000));
    b.exit(t + 20_000 + rng.int(20_000), m);
  }
  b.exit(t + 45_000, get);
  b.exit(t + 46_000 + rng.int(4000), daily);
};

const logrotate: Activity = ({ b, rng, boot, host }, t) => {
  const p = b.spawn(t, boot.get('systemd'), '/usr/sbin/logrotate', '/usr/sbin/logrotate /etc/logrotate.conf', ROOT);
  let e = t + 300;
  if (host.role === 'linux-web') e = run(b, e, p, SH, 'sh -c invoke-rc.d nginx rotate >/dev/null 2>&1', 80);
  if (boot.has('rsyslogd')) e = run(b, e + 20, p, SH, 'sh -c /usr/lib/rsyslog/rsyslog-rotate', 40 + rng.int(40));
  b.exit(e + 200, p);
};

const certbot: Activity = ({ b, rng, boot }, t) => {
  const p = b.spawn(t, boot.get('systemd'), '/usr/bin/python3.11', '/usr/bin/python3 /usr/bin/certbot -q renew --no-random-sleep-on-renew', ROOT);
  b.connect(t + 1200, p, `${VENDORS.letsencrypt.block}${rng.int(4)}`, 443, 1500, 6000 + rng.int(3000));
  b.exit(t + 3000 + rng.int(5000), p);
};

const tmpfiles: Activity = ({ b, rng, boot }, t) => {
  run(b, t, boot.get('systemd'), '/usr/bin/systemd-tmpfiles', 'systemd-tmpfiles --clean', 100 + rng.int(400), ROOT);
};

export const LINUX_CLOCK: readonly ClockJob[] = [
  { id: 20, period: 10, phase: 5, jitter: 1, spreadMs: 800, run: sysstat },
  { id: 21, period: 60, phase: 17, jitter: 1, spreadMs: 800, run: hourly },
  { id: 22, period: 1440, phase: 6 * 60 + 25, jitter: 1, spreadMs: 800, run: daily },
  { id: 24, period: 720, phase: 6 * 60, jitter: 60, spreadMs: 59_000, run: packages },
  { id: 25, period: 1440, phase: 0, jitter: 1, spreadMs: 500, run: logrotate },
  { id: 26, period: 1440, phase: 30, jitter: 20, spreadMs: 59_000, run: tmpfiles },
];

/** Every server but the backup target pushes its nightly backup. */
export const LINUX_BACKUP: ClockJob = { id: 23, period: 1440, phase: 60, jitter: 150, spreadMs: 800, run: backup };
export const CERTBOT: ClockJob = { id: 27, period: 720, phase: 0, jitter: 720, spreadMs: 59_000, run: certbot };
export const BACKUP_IN: ClockJob = { id: 28, period: 10, phase: 0, jitter: 10, hours: [1, 5], spreadMs: 59_000, run: backupIn };
