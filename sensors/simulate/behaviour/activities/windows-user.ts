/** What office workers do at a Windows workstation during their session. */
import { M365, VENDORS, WEB, WEB_THIRD_PARTY } from '../catalog.js';
import { MINUTE_MS } from '../clock.js';
import type { Proc } from '../emit.js';
import { DOCUMENTS, PDFS, SERVICES } from '../names.js';
import { CMD, NOTEPAD, OFFICE, S32 } from '../paths.js';
import { weighted } from '../prng.js';
import type { Session } from '../session.js';
import { consoleRun, type Activity, type SlotCtx } from './types.js';

const ACROBAT = 'C:\\Program Files\\Adobe\\Acrobat DC\\Acrobat\\Acrobat.exe';
const ACROCEF = 'C:\\Program Files\\Adobe\\Acrobat DC\\Acrobat\\acrocef_1\\AcroCEF.exe';
const ETAT_CIVIL = 'C:\\Program Files (x86)\\Mairistem\\EtatCivil\\EtatCivil.exe';
const OFFICE_APP: Record<string, string> = { docx: 'WINWORD.EXE', xlsx: 'EXCEL.EXE', pptx: 'POWERPNT.EXE' };

/** A tab: a renderer process, the page and its third parties fetched by the network process. */
const browse: Activity = (ctx, t) => {
  const { b, rng } = ctx;
  const s = session(ctx);
  const profile = s.browserProfile;
  // Renderer ids grow through the browser's life.
  const id = 6 + Math.floor((t - s.browser.start) / 15_000);
  const tab = b.spawn(t, s.browser, profile.image, profile.renderer(id), { ...s.who, integrity: profile.rendererIntegrity });
  let at = b.web(t + 60, s.browserNet, rng.choose(WEB), 1800 + rng.int(3000), 20_000 + rng.int(400_000));
  for (let i = rng.int(4); i > 0; i--) at = b.web(at + 30 + rng.int(400), s.browserNet, rng.pick(WEB_THIRD_PARTY), 900 + rng.int(1500), 4000 + rng.int(90_000));
  b.exit(at + rng.duration(3 * MINUTE_MS, 8000, 12 * MINUTE_MS), tab);
};

function session(ctx: SlotCtx): Session {
  if (!ctx.session) throw new Error('bug: a user activity ran outside a session');
  return ctx.session;
}

const mail: Activity = (ctx, t) => {
  const s = session(ctx);
  ctx.b.web(t, s.outlook, M365.outlook, 3000 + ctx.rng.int(40_000), 8000 + ctx.rng.int(300_000));
  if (ctx.rng.chance(0.3)) ctx.b.web(t + 2000, s.teams, M365.teamsChat, 1200, 3000 + ctx.rng.int(20_000));
};

const teamsCall: Activity = (ctx, t) => {
  const { b, rng } = ctx;
  const s = session(ctx);
  const at = b.web(t, s.teams, M365.teamsChat, 2500, 9000);
  b.udp(at + 400, s.teams, `52.113.${rng.int(256)}.${1 + rng.int(254)}`, 3478 + rng.int(4), 2_000_000 + rng.int(30_000_000), 2_000_000 + rng.int(40_000_000));
};

/** Open a document from the service share; sometimes print it. */
const officeDoc: Activity = (ctx, t) => {
  const { b, rng, host, boot } = ctx;
  const s = session(ctx);
  const doc = rng.pick(DOCUMENTS);
  const app = OFFICE_APP[doc.ext]!;
  const path = `S:\\${rng.pick(SERVICES)}\\${doc.stem}_2025-${String(1 + rng.int(180)).padStart(3, '0')}.${doc.ext}`;
  const cmd = app === 'WINWORD.EXE' ? `"${OFFICE}${app}" /n "${path}" /o ""` : `"${OFFICE}${app}" "${path}"`;
  const p = b.spawn(t, s.explorer, `${OFFICE}${app}`, cmd);
  const fs = host.infra.fileServer;
  b.connect(t + 200, boot.get('system'), fs.ip, 445, 4000 + rng.int(20_000), 30_000 + rng.int(3_000_000), fs.fqdn);
  b.web(t + 1500, p, rng.chance(0.5) ? M365.config : M365.nexus, 1900, 6000 + rng.int(20_000));
  const end = t + rng.duration(6 * MINUTE_MS, 40_000, 13 * MINUTE_MS);
  if (rng.chance(0.25)) {
    const at = t + Math.floor((end - t) * 0.7);
    const spl = b.spawn(at, p, 'C:\\Windows\\splwow64.exe', 'C:\\Windows\\splwow64.exe 12288');
    b.connect(at + 900, boot.get('spoolsv'), host.infra.printerIp, 9100, 150_000 + rng.int(3_000_000), 300);
    b.exit(end - 1000, spl);
  }
  if (rng.chance(0.5)) b.connect(end - 500, boot.get('system'), fs.ip, 445, 30_000 + rng.int(2_000_000), 4000, fs.fqdn);
  b.exit(end, p);
};

/** Read a PDF, from the share or from a mail attachment. */
const pdf: Activity = (ctx, t) => {
  const { b, rng, host } = ctx;
  const s = session(ctx);
  const name = `${rng.pick(PDFS)}_${1000 + rng.int(9000)}.pdf`;
  const fromMail = rng.chance(0.5);
  const path = fromMail
    ? `C:\\Users\\${host.user}\\AppData\\Local\\Microsoft\\Windows\\INetCache\\Content.Outlook\\${rng.hex(8).toUpperCase()}\\${name}`
    : `S:\\${rng.pick(SERVICES)}\\${name}`;
  const reader = b.spawn(t, fromMail ? s.outlook : s.explorer, ACROBAT, `"${ACROBAT}" "${path}"`);
  const cef = b.spawn(t + 700, reader, ACROCEF, `"${ACROCEF}" --backgroundcolor=16514043 --log-severity=disable --lang=fr-FR /prefetch:2`, { ...s.who, integrity: 'Low' });
  b.web(t + 2000, reader, VENDORS.adobe, 1400, 8000 + rng.int(40_000));
  const end = t + rng.duration(3 * MINUTE_MS, 15_000, 12 * MINUTE_MS);
  b.exit(end - 300, cef);
  b.exit(end, reader);
};

/** Browse the shares in Explorer. */
const shares: Activity = (ctx, t) => {
  const { b, rng, host, boot } = ctx;
  const s = session(ctx);
  const fs = host.infra.fileServer;
  b.dns(t, s.explorer, fs.fqdn, fs.ip);
  b.connect(t + 30, boot.get('system'), fs.ip, 445, 2000 + rng.int(8000), 5000 + rng.int(200_000), fs.fqdn);
};

const notepad: Activity = (ctx, t) => {
  const { b, rng, host } = ctx;
  const s = session(ctx);
  const p = b.spawn(t, s.explorer, NOTEPAD, `"C:\\Windows\\system32\\NOTEPAD.EXE" C:\\Users\\${host.user}\\Desktop\\${rng.pick(['notes', 'a_faire', 'numeros', 'memo'])}.txt`);
  b.exit(t + rng.duration(4 * MINUTE_MS, 10_000, 13 * MINUTE_MS), p);
};

/** The town's business software: a desktop client on the SQL server, or the intranet portal. */
const businessApp: Activity = (ctx, t) => {
  const { b, rng, host } = ctx;
  const s = session(ctx);
  const { app, web } = host.infra;
  if (app) {
    const p = b.spawn(t, s.explorer, ETAT_CIVIL, `"${ETAT_CIVIL}" /server=${app.name}`);
    let at = t + 1500;
    for (let i = 1 + rng.int(4); i > 0; i--) {
      b.connect(at, p, app.ip, 1433, 2000 + rng.int(20_000), 5000 + rng.int(200_000), app.fqdn);
      at += 20_000 + rng.int(120_000);
    }
    b.exit(at + rng.int(60_000), p);
  } else if (web) {
    b.dns(t, s.browserNet, `portail.${host.infra.domain}`, web.ip);
    b.connect(t + 20, s.browserNet, web.ip, 443, 3000 + rng.int(9000), 20_000 + rng.int(300_000), `portail.${host.infra.domain}`);
  } else {
    browse(ctx, t);
  }
};

/** A power user (or a helpdesk call) runs a network command. */
const commandLine: Activity = (ctx, t) => {
  const { b, rng, host } = ctx;
  const s = session(ctx);
  const shell = b.spawn(t, s.explorer, CMD, '"C:\\Windows\\system32\\cmd.exe" ');
  const tool: Array<[string, string]> = [
    [`${S32}ipconfig.exe`, 'ipconfig  /all'],
    [`${S32}PING.EXE`, `ping  ${host.infra.fileServer.name}`],
    [`${S32}gpupdate.exe`, 'gpupdate  /force'],
    [`${S32}whoami.exe`, 'whoami'],
  ];
  const [image, cmd] = rng.pick(tool);
  const run: Proc = consoleRun(b, t + 8000 + rng.int(20_000), shell, image, cmd, 300 + rng.int(4000));
  b.exit(run.start + rng.duration(2 * MINUTE_MS, 10_000, 8 * MINUTE_MS), shell);
};

export const WINDOWS_USER = weighted<Activity>([
  [browse, 30], [mail, 16], [officeDoc, 12], [pdf, 7], [shares, 8], [teamsCall, 3],
  [notepad, 3], [businessApp, 6], [commandLine, 1],
]);
