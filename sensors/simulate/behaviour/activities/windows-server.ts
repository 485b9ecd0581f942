/** Windows server roles: domain controller, file server, application server (IIS + SQL Server). */
import { UPSTREAM_DNS, publicClientIp } from '../catalog.js';
import { MINUTE_MS } from '../clock.js';
import type { VirtualHost } from '../fleet.js';
import { workstationIp } from '../fleet.js';
import { ADMINS } from '../names.js';
import { CMD, POWERSHELL, S32 } from '../paths.js';
import type { Rng } from '../prng.js';
import { weighted } from '../prng.js';
import { WIN_SYSTEM, winUser } from '../who.js';
import { consoleRun, type Activity, type ClockJob } from './types.js';

/** A workstation of the host's tenant, as a client address. */
export function clientIp(host: VirtualHost, rng: Rng): string {
  const n = host.infra.workstations;
  return n > 0 ? workstationIp(host.infra, rng.int(n)) : `${host.infra.prefix}1.20`;
}

const kerberosIn: Activity = ({ b, rng, boot, host }, t) => {
  b.accept(t, boot.get('lsass'), clientIp(host, rng), 88, 1500 + rng.int(600), 1400 + rng.int(600));
};

const ldapIn: Activity = ({ b, rng, boot, host }, t) => {
  b.accept(t, boot.get('lsass'), clientIp(host, rng), 389, 1200 + rng.int(12_000), 900 + rng.int(3000));
};

const dnsIn: Activity = ({ b, rng, boot, host }, t) => {
  const dns = boot.get('dns');
  b.udp(t, dns, clientIp(host, rng), 53, 120 + rng.int(300), 60 + rng.int(40), true);
  if (rng.chance(0.3)) b.udp(t + 2, dns, rng.pick(UPSTREAM_DNS), 53, 70, 150 + rng.int(300));
};

const sysvolIn: Activity = ({ b, rng, boot, host }, t) => {
  b.accept(t, boot.get('system'), clientIp(host, rng), 445, 20_000 + rng.int(40_000), 2800);
};

export const DC = weighted<Activity>([[kerberosIn, 10], [ldapIn, 8], [dnsIn, 12], [sysvolIn, 3]]);

const smbIn: Activity = ({ b, rng, boot, host }, t) => {
  const reading = rng.chance(0.7);
  const bulk = 10_000 + rng.int(rng.chance(0.1) ? 50_000_000 : 2_000_000);
  b.accept(t, boot.get('system'), clientIp(host, rng), 445, reading ? bulk : 4000, reading ? 4000 : bulk);
};

export const FILE_SERVER = weighted<Activity>([[smbIn, 1]]);

const httpIn: Activity = ({ b, rng, boot, host }, t) => {
  const from = rng.chance(0.6) ? clientIp(host, rng) : publicClientIp(rng);
  b.accept(t, boot.get('system'), from, 443, 8000 + rng.int(200_000), 1500 + rng.int(6000));
  const w3wp = boot.get('w3wp');
  b.connect(t + 15, w3wp, host.ip, 1433, 900 + rng.int(4000), 2000 + rng.int(60_000), host.fqdn);
  b.accept(t + 16, boot.get('sqlservr'), host.ip, 1433, 2000 + rng.int(60_000), 900 + rng.int(4000));
};

const sqlClientIn: Activity = ({ b, rng, boot, host }, t) => {
  b.accept(t, boot.get('sqlservr'), clientIp(host, rng), 1433, 5000 + rng.int(200_000), 2000 + rng.int(20_000));
};

/** ASP.NET compiles a page on first hit: w3wp -> csc.exe -> cvtres.exe (benign, but shaped like a web shell). */
const aspnetCompile: Activity = ({ b, rng, boot }, t) => {
  const fw = 'C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\';
  const dir = `${fw}Temporary ASP.NET Files\\root\\${rng.hex(8)}\\${rng.hex(8)}`;
  const csc = b.spawn(t, boot.get('w3wp'), `${fw}csc.exe`, `"${fw}csc.exe" /noconfig /fullpaths @"${dir}\\${rng.hex(8)}.cmdline"`);
  const cvt = b.spawn(t + 900, csc, `${fw}cvtres.exe`, `${fw}cvtres.exe /NOLOGO /READONLY /MACHINE:IX86 "/OUT:C:\\Windows\\Temp\\RES${rng.hex(4).toUpperCase()}.tmp" "${dir}\\CSC${rng.hex(8).toUpperCase()}.TMP"`);
  b.exit(t + 1300, cvt);
  b.exit(t + 1800, csc);
};

export const APP_SERVER = weighted<Activity>([[httpIn, 12], [sqlClientIn, 6], [aspnetCompile, 0.05]]);

/** An administrator of the syndicate opens an RDP session and runs management tools. */
export const adminRdp: Activity = ({ b, rng, boot, host }, t) => {
  const admin = rng.pick(ADMINS);
  const who = winUser(host, admin, `0x${(0x200000 + rng.int(0xfffff)).toString(16)}`, 'High');
  b.accept(t, boot.get('termsvc'), '10.0.10.5', 3389, 400_000 + rng.int(4_000_000), 90_000 + rng.int(900_000));
  const userinit = b.spawn(t + 3000, boot.get('winlogon'), `${S32}userinit.exe`, 'C:\\Windows\\system32\\userinit.exe', who);
  const explorer = b.spawn(t + 4200, userinit, 'C:\\Windows\\explorer.exe', 'C:\\Windows\\Explorer.EXE');
  b.exit(t + 9000, userinit);
  const tool = rng.pick([
    [`${S32}mmc.exe`, '"C:\\Windows\\system32\\mmc.exe" "C:\\Windows\\system32\\dsa.msc" '],
    [`${S32}mmc.exe`, '"C:\\Windows\\system32\\mmc.exe" "C:\\Windows\\system32\\eventvwr.msc" /s'],
    [`${S32}ServerManager.exe`, '"C:\\Windows\\system32\\ServerManager.exe" '],
    [POWERSHELL, '"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe" '],
  ] as const);
  const at = t + 20_000 + rng.int(60_000);
  const p = b.spawn(at, explorer, tool[0], tool[1]);
  if (tool[0] === POWERSHELL) {
    // Cmdlets run inside powershell.exe; only native tools show up as processes.
    const native = rng.pick([
      ['gpupdate.exe', '"C:\\Windows\\system32\\gpupdate.exe" /force'],
      ['ipconfig.exe', '"C:\\Windows\\system32\\ipconfig.exe" /flushdns'],
      ['net.exe', '"C:\\Windows\\system32\\net.exe" session'],
      ['repadmin.exe', '"C:\\Windows\\system32\\repadmin.exe" /replsummary'],
    ] as const);
    b.connect(at + 3000, p, host.infra.dc.ip, 389, 2000, 6000, host.infra.dc.fqdn);
    consoleRun(b, at + 10_000 + rng.int(30_000), p, `${S32}${native[0]}`, native[1], 300 + rng.int(3000));
  }
  const end = t + rng.duration(6 * MINUTE_MS, 2 * MINUTE_MS, 13 * MINUTE_MS);
  b.exit(end - 3000, p);
  b.exit(end, explorer);
};

/** Windows Server Backup to the tenant's backup target. */
const backup: Activity = ({ b, rng, boot, host }, t) => {
  const target = host.infra.backup;
  const wb = b.spawn(t, boot.get('schedule'), `${S32}wbadmin.exe`, `"C:\\Windows\\system32\\wbadmin.exe" start backup -backupTarget:\\\\${target.name}\\backup$\\${host.name} -include:C: -allCritical -vssFull -quiet`, WIN_SYSTEM);
  const engine = b.spawn(t + 800, boot.get('services'), `${S32}wbengine.exe`, '"C:\\Windows\\system32\\wbengine.exe"');
  const vss = b.spawn(t + 1500, boot.get('services'), `${S32}VSSVC.exe`, 'C:\\Windows\\system32\\vssvc.exe');
  let at = t + 60_000;
  const end = t + rng.duration(9 * MINUTE_MS, 4 * MINUTE_MS, 14 * MINUTE_MS);
  while (at < end - 30_000) {
    b.connect(at, boot.get('system'), target.ip, 445, 50_000_000 + rng.int(400_000_000), 40_000, target.fqdn);
    at += 60_000 + rng.int(120_000);
  }
  b.exit(end - 2000, vss);
  b.exit(end - 1000, engine);
  b.exit(end, wb);
};

/** File servers take shadow copies at 07:00 and 12:00 on working days (the "Previous versions" tab). */
const shadowCopy: Activity = ({ b, rng, boot }, t) => {
  const p = b.spawn(t, boot.get('schedule'), `${S32}vssadmin.exe`, 'C:\\Windows\\system32\\vssadmin.exe Create Shadow /AutoRetry=15 /For=\\\\?\\Volume{4c1b2a9e-6e2f-4b7a-9d31-0a1b2c3d4e5f}\\');
  const vss = b.spawn(t + 400, boot.get('services'), `${S32}VSSVC.exe`, 'C:\\Windows\\system32\\vssvc.exe');
  b.exit(t + 20_000 + rng.int(40_000), p);
  b.exit(t + 90_000 + rng.int(60_000), vss);
};

/** SQL Agent maintenance job: a CmdExec step, then the backup file copied to the backup target. */
const sqlJob: Activity = ({ b, rng, boot, host }, t) => {
  const c = consoleRun(b, t, boot.get('sqlagent'), CMD, 'C:\\Windows\\system32\\cmd.exe /c ""D:\\Scripts\\maintenance_nuit.cmd""', 3 * MINUTE_MS + rng.int(3 * MINUTE_MS));
  b.connect(c.start + 60_000, boot.get('system'), host.infra.backup.ip, 445, 200_000_000 + rng.int(2_000_000_000), 30_000, host.infra.backup.fqdn);
};

export const SERVER_BACKUP: ClockJob = { id: 10, period: 1440, phase: 22 * 60, jitter: 120, spreadMs: 59_000, run: backup };
export const SHADOW_AM: ClockJob = { id: 11, period: 1440, phase: 7 * 60, jitter: 1, workdaysOnly: true, spreadMs: 2000, run: shadowCopy };
export const SHADOW_PM: ClockJob = { id: 12, period: 1440, phase: 12 * 60, jitter: 1, workdaysOnly: true, spreadMs: 2000, run: shadowCopy };
export const SQL_JOB: ClockJob = { id: 13, period: 1440, phase: 23 * 60 + 30, jitter: 1, spreadMs: 1000, run: sqlJob };
