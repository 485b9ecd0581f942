/** What every Windows host does on its own: scheduled tasks, WMI, name resolution, Defender, updates. */
import { MICROSOFT, VENDORS } from '../catalog.js';
import { MINUTE_MS } from '../clock.js';
import { S32, WMIPRVSE } from '../paths.js';
import { weighted } from '../prng.js';
import { WIN_NETWORK_SERVICE } from '../who.js';
import type { Activity, ClockJob } from './types.js';

const DEFENDER = 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\';
const TASKS = [
  'taskhostw.exe Install $(Arg0)',
  'taskhostw.exe -RegisterDevice -ProtectionStateChanged -FreeNetworkOnly',
  'taskhostw.exe SYSTEM',
  'taskhostw.exe /RuntimeWide',
] as const;

const task: Activity = ({ b, rng, boot }, t) => {
  const p = b.spawn(t, boot.get('schedule'), `${S32}taskhostw.exe`, rng.pick(TASKS));
  b.exit(t + rng.duration(20_000, 1500, 5 * MINUTE_MS), p);
};

const wmi: Activity = ({ b, rng, boot }, t) => {
  const p = b.spawn(t, boot.get('dcom'), WMIPRVSE, 'C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding', WIN_NETWORK_SERVICE);
  b.exit(t + rng.duration(2 * MINUTE_MS, 20_000, 10 * MINUTE_MS), p);
};

const resolve: Activity = ({ b, rng, boot, host }, t) => {
  b.udp(t, boot.get('dnscache'), host.infra.dc.ip, 53, 60 + rng.int(40), 90 + rng.int(200));
};

const kerberos: Activity = ({ b, rng, boot, host }, t) => {
  const dc = host.infra.dc;
  b.connect(t, boot.get('lsass'), dc.ip, 88, 1400 + rng.int(600), 1500 + rng.int(600), dc.fqdn);
  if (rng.chance(0.4)) b.connect(t + 200, boot.get('lsass'), dc.ip, 389, 600 + rng.int(900), 1200 + rng.int(5000), dc.fqdn);
};

const defenderCloud: Activity = ({ b, rng, boot }, t) => {
  b.web(t, boot.get('msmpeng'), MICROSOFT.defenderCloud, 1200 + rng.int(3000), 900 + rng.int(2000));
};

const telemetry: Activity = ({ b, rng, boot }, t) => {
  const p = b.spawn(t, boot.get('schedule'), `${S32}CompatTelRunner.exe`, 'C:\\Windows\\system32\\compattelrunner.exe -m:appraiser.dll -f:DoScheduledTelemetryRun');
  const sent = b.web(t + 4000 + rng.int(20_000), p, MICROSOFT.telemetry, 9000 + rng.int(40_000), 2000);
  b.exit(sent + rng.duration(90_000, 2000, 8 * MINUTE_MS), p);
};

const update: Activity = ({ b, rng, boot }, t) => {
  b.web(t, boot.get('wuauserv'), MICROSOFT.updateSvc, 3000, 12_000 + rng.int(60_000));
  const p = b.spawn(t + 500, boot.get('dcom'), `${S32}MoUsoCoreWorker.exe`, 'C:\\Windows\\System32\\MoUsoCoreWorker.exe -Embedding');
  if (rng.chance(0.3)) b.web(t + 5000, boot.get('wuauserv'), MICROSOFT.update, 4000, 1_000_000 + rng.int(60_000_000));
  b.exit(t + rng.duration(3 * MINUTE_MS, 30_000, 12 * MINUTE_MS), p);
};

const indexer: Activity = ({ b, rng, boot }, t) => {
  const search = boot.get('search');
  const p = b.spawn(t, search, `${S32}SearchProtocolHost.exe`, '"C:\\Windows\\system32\\SearchProtocolHost.exe" Global\\UsGthrFltPipeMssGthrPipe5_ Global\\UsGthrCtrlFltPipeMssGthrPipe5 1 -2147483646 "Software\\Microsoft\\Windows Search" "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT; MS Search 4.0 Robot)" "C:\\ProgramData\\Microsoft\\Search\\Data\\Temp\\usgthrsvc" "DownLevelDaemon" ');
  const f = b.spawn(t + 40, search, `${S32}SearchFilterHost.exe`, '"C:\\Windows\\system32\\SearchFilterHost.exe" 0 764 768 776 8192 772 ');
  const end = t + rng.duration(60_000, 5000, 5 * MINUTE_MS);
  b.exit(end, f);
  b.exit(end + 30, p);
};

/** Background tasks of any Windows host. */
export const WINDOWS_SYSTEM = weighted<Activity>([
  [task, 6], [wmi, 3], [resolve, 8], [kerberos, 4], [defenderCloud, 3], [telemetry, 1], [update, 1],
]);

/** Workstations also index the user's files. */
export const WINDOWS_WORKSTATION_SYSTEM = weighted<Activity>([
  [task, 6], [wmi, 2], [resolve, 8], [kerberos, 4], [defenderCloud, 3], [telemetry, 1], [update, 1], [indexer, 4],
]);

const gpupdate: Activity = ({ b, rng, boot, host }, t) => {
  const dc = host.infra.dc;
  b.connect(t, boot.get('gpsvc'), dc.ip, 389, 2000 + rng.int(1000), 8000 + rng.int(6000), dc.fqdn);
  b.connect(t + 300, boot.get('system'), dc.ip, 445, 2800, 30_000 + rng.int(20_000), dc.fqdn);
};

const signatures: Activity = ({ b, rng, boot }, t) => {
  const p = b.spawn(t, boot.get('schedule'), `${DEFENDER}MpCmdRun.exe`, `"${DEFENDER}MpCmdRun.exe" -SignatureUpdate -ScheduleJob -RestrictPrivileges`);
  b.web(t + 1500, p, MICROSOFT.defender, 3500, 200_000 + rng.int(8_000_000));
  b.exit(t + rng.duration(40_000, 10_000, 4 * MINUTE_MS), p);
};

const scan: Activity = ({ b, rng, boot }, t) => {
  const p = b.spawn(t, boot.get('schedule'), `${DEFENDER}MpCmdRun.exe`, `"${DEFENDER}MpCmdRun.exe" Scan -ScheduleJob -ScanTrigger 55 -IdleScheduledJob`);
  b.exit(t + rng.duration(6 * MINUTE_MS, 2 * MINUTE_MS, 13 * MINUTE_MS), p);
};

const browserUpdate: Activity = ({ b, rng, boot, host }, t) => {
  const chrome = host.browser === 'chrome';
  const image = chrome
    ? 'C:\\Program Files (x86)\\Google\\GoogleUpdater\\131.0.6740.0\\updater.exe'
    : 'C:\\Program Files (x86)\\Microsoft\\EdgeUpdate\\MicrosoftEdgeUpdate.exe';
  const cmd = chrome ? `"${image}" --wake --system` : `"${image}" /ua /installsource scheduler`;
  const p = b.spawn(t, boot.get('schedule'), image, cmd);
  b.web(t + 2000, p, chrome ? VENDORS.chromeUpdate : MICROSOFT.edge, 2500, 4000 + rng.int(20_000));
  b.exit(t + rng.duration(30_000, 5000, 3 * MINUTE_MS), p);
};

const timeSync: Activity = ({ b, rng, boot, host }, t) => {
  b.udp(t, boot.get('w32time'), host.infra.dc.ip, 123, 48, 48 + rng.int(2));
};

/** Scheduled jobs of every Windows host. Ids must be unique across a role's jobs. */
export const WINDOWS_CLOCK: readonly ClockJob[] = [
  { id: 1, period: 90, phase: 0, jitter: 90, spreadMs: 59_000, run: gpupdate },
  { id: 2, period: 240, phase: 0, jitter: 240, spreadMs: 59_000, run: signatures },
  { id: 3, period: 360, phase: 0, jitter: 360, spreadMs: 59_000, run: browserUpdate },
  { id: 4, period: 60, phase: 0, jitter: 60, spreadMs: 59_000, run: timeSync },
];

/** Workstations scan at lunch; servers at night (see windows-server.ts). */
export const WORKSTATION_SCAN: ClockJob = { id: 5, period: 1440, phase: 12 * 60, jitter: 90, workdaysOnly: true, spreadMs: 59_000, run: scan };
export const SERVER_SCAN: ClockJob = { id: 5, period: 1440, phase: 3 * 60, jitter: 60, spreadMs: 59_000, run: scan };
