/**
 * Long-lived processes: what runs on a host from boot and never exits during a simulation
 * (System, services.exe, svchost groups, lsass; systemd, cron, sshd, nginx, postgres).
 * Activities start their children from here. Their ProcessStart events, at boot time, form the
 * snapshot a collector reports when it starts.
 */
import type { Proc, Who } from './emit.js';
import { startEvent, type TimedEvent } from './emit.js';
import type { VirtualHost } from './fleet.js';
import { Rng } from './prng.js';
import { POSTGRES, PORTAIL, ROOT, WIN_LOCAL_SERVICE, WIN_NETWORK_SERVICE, WIN_SYSTEM, WWW_DATA, linuxUser, winService } from './who.js';

export interface BootSet {
  /** In start order, each with its parent (null: the kernel, pid 0). */
  readonly list: ReadonlyArray<{ proc: Proc; parent: Proc | null }>;
  /** A named long-lived process; throws for a name this host does not run (a generator bug). */
  get(name: string): Proc;
  has(name: string): boolean;
}

type Spec = readonly [name: string, parent: string | null, image: string, cmd: string, who: Who];

const S32 = 'C:\\Windows\\System32\\';
const SVCHOST = `${S32}svchost.exe`;
const svc = (name: string, group: string, who: Who): Spec => [name, 'services', SVCHOST, `C:\\Windows\\system32\\svchost.exe -k ${group}`, who];

const WINDOWS: readonly Spec[] = [
  ['system', null, 'System', '', WIN_SYSTEM],
  ['smss', 'system', `${S32}smss.exe`, '\\SystemRoot\\System32\\smss.exe', WIN_SYSTEM],
  ['csrss', 'smss', `${S32}csrss.exe`, '%SystemRoot%\\system32\\csrss.exe ObjectDirectory=\\Windows SharedSection=1024,20480,768 Windows=On SubSystemType=Windows ServerDll=basesrv,1 ServerDll=winsrv:UserServerDllInitialization,3 ServerDll=sxssrv,4 ProfileControl=Off MaxRequestThreads=16', WIN_SYSTEM],
  ['wininit', 'smss', `${S32}wininit.exe`, 'wininit.exe', WIN_SYSTEM],
  ['winlogon', 'smss', `${S32}winlogon.exe`, 'winlogon.exe', WIN_SYSTEM],
  ['services', 'wininit', `${S32}services.exe`, 'C:\\Windows\\system32\\services.exe', WIN_SYSTEM],
  ['lsass', 'wininit', `${S32}lsass.exe`, 'C:\\Windows\\system32\\lsass.exe', WIN_SYSTEM],
  svc('dcom', 'DcomLaunch -p', WIN_SYSTEM),
  svc('rpcss', 'RPCSS -p', WIN_NETWORK_SERVICE),
  svc('eventlog', 'LocalServiceNetworkRestricted -p -s EventLog', WIN_LOCAL_SERVICE),
  svc('schedule', 'netsvcs -p -s Schedule', WIN_SYSTEM),
  svc('gpsvc', 'netsvcs -p -s gpsvc', WIN_SYSTEM),
  svc('usermgr', 'netsvcs -p -s UserManager', WIN_SYSTEM),
  svc('dnscache', 'NetworkService -p -s Dnscache', WIN_NETWORK_SERVICE),
  svc('w32time', 'LocalService -s W32Time', WIN_LOCAL_SERVICE),
  svc('wuauserv', 'netsvcs -p -s wuauserv', WIN_SYSTEM),
  svc('termsvc', 'NetworkService -s TermService', WIN_NETWORK_SERVICE),
  svc('winrm', 'NetworkService -p -s WinRM', WIN_NETWORK_SERVICE),
  ['spoolsv', 'services', `${S32}spoolsv.exe`, 'C:\\Windows\\System32\\spoolsv.exe', WIN_SYSTEM],
  ['msmpeng', 'services', 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MsMpEng.exe', '"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MsMpEng.exe"', WIN_SYSTEM],
  ['dwm', 'winlogon', `${S32}dwm.exe`, '"dwm.exe"', { ...WIN_SYSTEM, user: 'Window Manager\\DWM-1', logonId: '0x1f2a1' }],
];

const WINDOWS_ROLE: Record<string, readonly Spec[]> = {
  'workstation': [['search', 'services', `${S32}SearchIndexer.exe`, 'C:\\Windows\\system32\\SearchIndexer.exe /Embedding', WIN_SYSTEM]],
  'dc': [
    ['dns', 'services', `${S32}dns.exe`, 'C:\\Windows\\system32\\dns.exe', WIN_SYSTEM],
    ['dfsr', 'services', `${S32}dfsrs.exe`, 'C:\\Windows\\system32\\DFSRs.exe', WIN_SYSTEM],
    ['adws', 'services', 'C:\\Windows\\ADWS\\Microsoft.ActiveDirectory.WebServices.exe', 'C:\\Windows\\ADWS\\Microsoft.ActiveDirectory.WebServices.exe', WIN_SYSTEM],
  ],
  'file-server': [svc('lanman', 'smbsvcs -s LanmanServer', WIN_SYSTEM)],
  'app-server': [
    svc('iis', 'iissvcs', WIN_SYSTEM),
    ['w3wp', 'iis', `${S32}inetsrv\\w3wp.exe`, 'c:\\windows\\system32\\inetsrv\\w3wp.exe -ap "PortailCitoyen" -v "v4.0" -l "webengine4.dll" -a \\\\.\\pipe\\iisipm7c1e0d2a -h "C:\\inetpub\\temp\\apppools\\PortailCitoyen\\PortailCitoyen.config" -w "" -m 0 -t 20 -ta 0', winService('IIS APPPOOL\\PortailCitoyen', '0x4b21f')],
    ['sqlservr', 'services', 'C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe', '"C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe" -sMSSQLSERVER', winService('NT Service\\MSSQLSERVER', '0x4b0e2')],
    ['sqlagent', 'services', 'C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\Binn\\SQLAGENT.EXE', '"C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\Binn\\SQLAGENT.EXE" -i MSSQLSERVER', winService('NT Service\\SQLSERVERAGENT', '0x4b3c9')],
  ],
};

const SYSD = '/usr/lib/systemd/';
const LINUX: readonly Spec[] = [
  ['systemd', null, `${SYSD}systemd`, '/sbin/init', ROOT],
  ['journald', 'systemd', `${SYSD}systemd-journald`, '/lib/systemd/systemd-journald', ROOT],
  ['udevd', 'systemd', `${SYSD}systemd-udevd`, '/lib/systemd/systemd-udevd', ROOT],
  ['timesyncd', 'systemd', `${SYSD}systemd-timesyncd`, '/lib/systemd/systemd-timesyncd', linuxUser('systemd-timesync', 997, '/')],
  ['dbus', 'systemd', '/usr/bin/dbus-daemon', '/usr/bin/dbus-daemon --system --address=systemd: --nofork --nopidfile --systemd-activation --syslog-only', linuxUser('messagebus', 101, '/')],
  ['logind', 'systemd', `${SYSD}systemd-logind`, '/lib/systemd/systemd-logind', ROOT],
  ['rsyslogd', 'systemd', '/usr/sbin/rsyslogd', '/usr/sbin/rsyslogd -n -iNONE', ROOT],
  ['cron', 'systemd', '/usr/sbin/cron', '/usr/sbin/cron -f', ROOT],
  ['sshd', 'systemd', '/usr/sbin/sshd', 'sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups', ROOT],
  ['exporter', 'systemd', '/usr/local/bin/node_exporter', '/usr/local/bin/node_exporter --collector.systemd', linuxUser('node_exporter', 998, '/')],
];

const PG = '/usr/lib/postgresql/15/bin/postgres';
const LINUX_ROLE: Record<string, readonly Spec[]> = {
  'linux-web': [
    ['nginx', 'systemd', '/usr/sbin/nginx', 'nginx: master process /usr/sbin/nginx -g daemon on; master_process on;', ROOT],
    ['nginx-w1', 'nginx', '/usr/sbin/nginx', 'nginx: worker process', WWW_DATA],
    ['nginx-w2', 'nginx', '/usr/sbin/nginx', 'nginx: worker process', WWW_DATA],
    ['app', 'systemd', '/usr/bin/node', '/usr/bin/node /srv/portail/server.js', PORTAIL],
  ],
  'linux-db': [
    ['postgres', 'systemd', PG, `${PG} -D /var/lib/postgresql/15/main -c config_file=/etc/postgresql/15/main/postgresql.conf`, POSTGRES],
    ['pg-ckpt', 'postgres', PG, 'postgres: 15/main: checkpointer ', POSTGRES],
    ['pg-bgw', 'postgres', PG, 'postgres: 15/main: background writer ', POSTGRES],
    ['pg-wal', 'postgres', PG, 'postgres: 15/main: walwriter ', POSTGRES],
    ['pg-av', 'postgres', PG, 'postgres: 15/main: autovacuum launcher ', POSTGRES],
  ],
  'linux-backup': [],
};

function build(host: VirtualHost): BootSet {
  const rng = new Rng(host.seed, 0xb007);
  const windows = host.os === 'windows';
  const specs = windows ? [...WINDOWS, ...(WINDOWS_ROLE[host.role] ?? [])] : [...LINUX, ...(LINUX_ROLE[host.role] ?? [])];
  const byName = new Map<string, Proc>();
  const list: Array<{ proc: Proc; parent: Proc | null }> = [];
  let t = host.bootMs;
  let n = windows ? 90 : 280;
  const rocky = host.osVersion.startsWith('Rocky');
  for (const spec of specs) {
    const [name, parentName, , , who] = spec;
    // Red Hat family names the cron daemon crond.
    const [image, cmd] = rocky && name === 'cron' ? ['/usr/sbin/crond', '/usr/sbin/crond -n'] : [spec[2], spec[3]];
    const parent = parentName ? byName.get(parentName)! : null;
    const pid = name === 'system' ? 4 : name === 'systemd' ? 1 : windows ? 4 * (n += 3 + rng.int(40)) : (n += 1 + rng.int(30));
    t += 150 + rng.int(windows ? 2500 : 900);
    const proc: Proc = { pid, start: t, image, cmd, cwd: who.cwd, user: who.user, uid: who.uid, gid: who.gid, integrity: who.integrity, logonId: who.logonId };
    byName.set(name, proc);
    list.push({ proc, parent });
  }
  return {
    list,
    has: (name) => byName.has(name),
    get(name) {
      const p = byName.get(name);
      if (!p) throw new Error(`bug: ${host.name} (${host.role}) has no long-lived process "${name}"`);
      return p;
    },
  };
}

const cache = new WeakMap<VirtualHost, BootSet>();

export function bootSet(host: VirtualHost): BootSet {
  let set = cache.get(host);
  if (!set) cache.set(host, (set = build(host)));
  return set;
}

/** ProcessStart events of the long-lived processes, at their boot times. */
export function bootEvents(host: VirtualHost): TimedEvent[] {
  return bootSet(host).list.map(({ proc, parent }) => startEvent(host.name, '', proc, parent));
}
