/**
 * A workstation's working day: the user logs on in the morning (logon script, explorer, Outlook,
 * Teams, the browser), works, and logs off in the evening. The session's processes live all day
 * and parent the user's activities; the plan for a day is a pure function of (host, day).
 */
import { bootSet } from './boot.js';
import { browserProfile, type BrowserProfile } from './browsers.js';
import { M365, WEB } from './catalog.js';
import { dayStart, HOUR_MS, isWorkday, MAX_SPAN_MS, MINUTE_MS, weekday } from './clock.js';
import { Builder, byTime, sessionBand, type Proc, type TimedEvent, type Who } from './emit.js';
import type { VirtualHost } from './fleet.js';
import { SERVICES } from './names.js';
import { Rng } from './prng.js';
import { winUser } from './who.js';
import { CONHOST, CONHOST_CMD, OFFICE, S32 } from './paths.js';

export interface Session {
  readonly day: number;
  readonly logonMs: number;
  readonly logoffMs: number;
  /** User activities start in [activeFrom, activeTo]: after the apps are up, early enough to end before logoff. */
  readonly activeFrom: number;
  readonly activeTo: number;
  readonly who: Who;
  readonly explorer: Proc;
  readonly outlook: Proc;
  readonly teams: Proc;
  readonly browser: Proc;
  /** The browser process that opens connections (the network service, or the main process). */
  readonly browserNet: Proc;
  readonly browserProfile: BrowserProfile;
  /** Logon, app start-up and logoff events, in time order. */
  readonly events: readonly TimedEvent[];
}

const TEAMS = 'C:\\Program Files\\WindowsApps\\MSTeams_24295.605.3225.8804_x64__8wekyb3d8bbwe\\ms-teams.exe';
const WEBVIEW = 'C:\\Program Files (x86)\\Microsoft\\EdgeWebView\\Application\\131.0.2903.70\\msedgewebview2.exe';

/** Whether the user works that day, and when they arrive and leave. */
function schedule(host: VirtualHost, day: number, rng: Rng): { logon: number; logoff: number } | null {
  const w = weekday(day);
  const present = isWorkday(day) ? 0.93 : w === 6 ? 0.04 : 0.01;
  if (!rng.chance(present)) return null;
  // Each user has a habitual arrival time, then day-to-day noise.
  const habit = new Rng(host.seed, 0xa771).normal() * 35 * MINUTE_MS;
  const start = dayStart(day, host.utcOffsetMs);
  const logon = start + 8 * HOUR_MS + habit + rng.normal() * 15 * MINUTE_MS;
  const clampedOn = Math.min(Math.max(logon, start + 6.75 * HOUR_MS), start + 10.5 * HOUR_MS);
  const hours = isWorkday(day) ? 8.6 + rng.normal() * 0.6 : 3 + rng.float() * 2;
  const logoff = Math.min(clampedOn + hours * HOUR_MS, start + 21 * HOUR_MS);
  return { logon: Math.round(clampedOn), logoff: Math.round(logoff) };
}

function build(host: VirtualHost, day: number): Session | null {
  const rng = new Rng(host.seed, 0x5e55, day);
  const when = schedule(host, day, rng);
  if (!when) return null;
  const boot = bootSet(host);
  const events: TimedEvent[] = [];
  const b = new Builder(host, rng, events, '', sessionBand(host, day));
  const { infra } = host;
  const u = host.user;
  const who = winUser(host, u, `0x${(0x100000 + rng.int(0xeffff)).toString(16)}`);
  let t = when.logon;
  // Authentication and group policy against the domain controller.
  b.connect(t, boot.get('lsass'), infra.dc.ip, 88, 1480 + rng.int(200), 1620 + rng.int(300), infra.dc.fqdn);
  b.connect(t + 60, boot.get('lsass'), infra.dc.ip, 88, 1750, 1710 + rng.int(100), infra.dc.fqdn);
  b.connect(t + 400, boot.get('gpsvc'), infra.dc.ip, 389, 2400 + rng.int(800), 9800 + rng.int(4000), infra.dc.fqdn);
  b.connect(t + 700, boot.get('system'), infra.dc.ip, 445, 3100, 41_000 + rng.int(20_000), infra.dc.fqdn);
  const userinit = b.spawn(t += 900, boot.get('winlogon'), `${S32}userinit.exe`, 'C:\\Windows\\system32\\userinit.exe', who);
  // The logon script maps the home and service shares.
  const script = b.spawn(t += 600, userinit, `${S32}cmd.exe`, `C:\\Windows\\system32\\cmd.exe /c "\\\\${infra.domain}\\NETLOGON\\logon.bat"`);
  const con = b.spawn(t + 15, script, CONHOST, CONHOST_CMD);
  const fs = infra.fileServer.name;
  const net1 = b.spawn(t += 300, script, `${S32}net.exe`, `net  use H: \\\\${fs}\\home$\\${u} /persistent:no`);
  b.connect(t + 40, boot.get('system'), infra.fileServer.ip, 445, 2200, 2900, infra.fileServer.fqdn);
  b.exit(t += 500 + rng.int(400), net1);
  const net2 = b.spawn(t += 50, script, `${S32}net.exe`, `net  use S: \\\\${fs}\\Services\\${rng.pick(SERVICES)} /persistent:no`);
  b.exit(t += 300 + rng.int(300), net2);
  b.exit(t += 40, con);
  b.exit(t += 10, script);
  const explorer = b.spawn(t += 200, userinit, 'C:\\Windows\\explorer.exe', 'C:\\Windows\\Explorer.EXE');
  const sihost = b.spawn(t - 150, boot.get('usermgr'), `${S32}sihost.exe`, 'sihost.exe', who);
  const taskhostw = b.spawn(t + 80, boot.get('schedule'), `${S32}taskhostw.exe`, 'taskhostw.exe {222A245B-E637-4AE9-A93F-A59CA119A75E}', who);
  const broker = b.spawn(t + 1900, boot.get('dcom'), `${S32}RuntimeBroker.exe`, 'C:\\Windows\\System32\\RuntimeBroker.exe -Embedding', who);
  const startMenu = b.spawn(t + 2100, boot.get('dcom'), 'C:\\Windows\\SystemApps\\Microsoft.Windows.StartMenuExperienceHost_cw5n1h2txyewy\\StartMenuExperienceHost.exe',
    '"C:\\Windows\\SystemApps\\Microsoft.Windows.StartMenuExperienceHost_cw5n1h2txyewy\\StartMenuExperienceHost.exe" -ServerName:App.AppXywbrabmsek0gm3tkwpr5kwzbs55tkqay.mca', who);
  b.exit(t + 8000, userinit);
  const health = b.spawn(t += 4000, explorer, `${S32}SecurityHealthSystray.exe`, '"C:\\Windows\\System32\\SecurityHealthSystray.exe" ');
  const oneDriveImage = `C:\\Users\\${u}\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe`;
  const oneDrive = b.spawn(t += 900, explorer, oneDriveImage, `"${oneDriveImage}" /background`);
  b.web(t + 3000, oneDrive, M365.login, 4200, 9100);
  b.web(t + 4500, oneDrive, M365.onedrive, 2900, 15_400);
  const teams = b.spawn(t += 1200, explorer, TEAMS, `"${TEAMS}" msteams:system-initiated`);
  const webview = b.spawn(t + 2500, teams, WEBVIEW, `"${WEBVIEW}" --embedded-browser-webview=1 --webview-exe-name=ms-teams.exe --user-data-dir="C:\\Users\\${u}\\AppData\\Local\\Packages\\MSTeams_8wekyb3d8bbwe\\LocalCache\\Microsoft\\MSTeams\\EBWebView" --noerrdialogs --disable-features=msWebOOUI,msPdfOOUI,msSmartScreenProtection`);
  b.web(t + 4000, teams, M365.teams, 6100, 48_000 + rng.int(30_000));
  // The user opens Outlook, then the browser, within the first minutes.
  t += rng.duration(2 * MINUTE_MS, 20_000, 8 * MINUTE_MS);
  const outlook = b.spawn(t, explorer, `${OFFICE}OUTLOOK.EXE`, `"${OFFICE}OUTLOOK.EXE" `);
  b.web(t + 1500, outlook, M365.login, 4300, 9800);
  b.web(t + 2600, outlook, M365.outlook, 18_000 + rng.int(9000), 240_000 + rng.int(400_000));
  t += rng.duration(3 * MINUTE_MS, 20_000, 10 * MINUTE_MS);
  const profile = browserProfile(host.browser, u);
  const browser = b.spawn(t, explorer, profile.image, profile.main);
  const helpers = profile.helpers.map(([cmd, integrity], i) => b.spawn(t + 120 + i * 40, browser, profile.image, cmd, { ...who, integrity }));
  const browserNet = profile.networkHelper < 0 ? browser : helpers[profile.networkHelper]!;
  b.web(t + 900, browserNet, rng.choose(WEB), 2100, 64_000 + rng.int(90_000));
  const activeFrom = t + 30_000;
  // Logoff: everything the session started exits, newest first.
  let e = when.logoff;
  for (const p of [...helpers].reverse()) b.exit(e += 40 + rng.int(80), p);
  b.exit(e += 90, browser);
  b.exit(e += 150, outlook);
  b.exit(e += 120, webview);
  for (const p of [teams, oneDrive, health, startMenu, broker, taskhostw, sihost, explorer]) b.exit(e += 80 + rng.int(300), p);
  events.sort(byTime);
  return {
    day, logonMs: when.logon, logoffMs: e, activeFrom, activeTo: when.logoff - MAX_SPAN_MS - MINUTE_MS,
    who, explorer, outlook, teams, browser, browserNet, browserProfile: profile, events,
  };
}

const cache = new WeakMap<VirtualHost, Map<number, Session | null>>();

/** The user's session on a local day, or null (servers, days off, weekends). Memoised per host. */
export function sessionFor(host: VirtualHost, day: number): Session | null {
  if (host.role !== 'workstation') return null;
  let days = cache.get(host);
  if (!days) cache.set(host, (days = new Map()));
  if (days.has(day)) return days.get(day)!;
  const s = build(host, day);
  if (days.size >= 4) days.delete(days.keys().next().value!);
  days.set(day, s);
  return s;
}
