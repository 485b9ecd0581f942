/**
 * Ransomware detonation: a payload started from a dropped archive deletes shadow copies and the
 * backup catalog, disables recovery, kills office apps, then encrypts local folders and the file
 * server's shares through worker copies of itself and a burst of rename invocations, with heavy
 * SMB traffic (seen on the file server too when it is the target), and drops a ransom note.
 */
import { CMD, CONHOST, CONHOST_CMD, NOTEPAD, S32 } from '../paths.js';
import { DOCUMENTS, SERVICES } from '../names.js';
import type { Scenario } from './types.js';

export const ransomware: Scenario = {
  name: 'ransomware',
  summary: 'Payload deletes shadow copies (vssadmin, wmic), disables recovery (bcdedit), deletes the backup catalog (wbadmin), stops apps, then mass-renames/encrypts files locally and over SMB and drops a ransom note.',
  techniques: ['T1204.002', 'T1059.003', 'T1490', 'T1489', 'T1486', 'T1021.002', 'T1083'],
  target: 'optional',
  check(host, target) {
    if (host.os !== 'windows') return 'ransomware scenario is Windows-only';
    if (target && (target.os !== 'windows' || target.name === host.name)) return 'ransomware target must be another Windows host (the file server)';
    return undefined;
  },
  defaultTarget: (host, fleet) => fleet.find((h) => h.tenant === host.tenant && h.role === 'file-server' && h.name !== host.name) ?? null,
  build(ctx) {
    const { host, atMs: at, rng, params } = ctx;
    const b = ctx.on(host);
    const boot = ctx.boot(host);
    const d = ctx.desktop(host, at - 30_000);
    const user = host.user;
    const image = `C:\\Users\\${user}\\AppData\\Local\\Temp\\Rar$EXa${1000 + rng.int(8999)}.${rng.int(99_999)}\\Facture_impayee_${rng.int(9999)}.exe`;
    const payload = b.spawn(at, d.shell, image, `"${image}" `, { ...d.who, integrity: 'High' });
    let t = at + 3000;
    const cmd = (line: string, exe: string, child: string, ms: number) => {
      const c = b.spawn(t, payload, CMD, `C:\\Windows\\system32\\cmd.exe /c ${line}`);
      const con = b.spawn(t + 10, c, CONHOST, CONHOST_CMD);
      const p = b.spawn(t + 60, c, `${S32}${exe}`, child);
      b.exit(t + 60 + ms, p);
      b.exit(t + 80 + ms, con);
      b.exit(t + 90 + ms, c);
      t += 150 + ms + rng.int(800);
    };
    cmd('vssadmin.exe delete shadows /all /quiet', 'vssadmin.exe', 'vssadmin.exe  delete shadows /all /quiet', 1200);
    cmd('wmic.exe shadowcopy delete /nointeractive', 'wbem\\WMIC.exe', 'wmic.exe  shadowcopy delete /nointeractive', 1800);
    cmd('bcdedit.exe /set {default} recoveryenabled No', 'bcdedit.exe', 'bcdedit.exe  /set {default} recoveryenabled No', 200);
    cmd('bcdedit.exe /set {default} bootstatuspolicy ignoreallfailures', 'bcdedit.exe', 'bcdedit.exe  /set {default} bootstatuspolicy ignoreallfailures', 200);
    cmd('wbadmin.exe delete catalog -quiet', 'wbadmin.exe', 'wbadmin.exe  delete catalog -quiet', 900);
    for (const app of ['outlook.exe', 'winword.exe', 'excel.exe', 'sqlservr.exe']) cmd(`taskkill.exe /F /IM ${app}`, 'taskkill.exe', `taskkill.exe  /F /IM ${app}`, 300);

    // Encryption: one worker per folder, plus a burst of renames to the new extension.
    const fs = ctx.target ?? host.infra.fileServer;
    const folders = [`C:\\Users\\${user}\\Documents`, `C:\\Users\\${user}\\Desktop`, ...SERVICES.map((s) => `\\\\${fs.name}\\Services\\${s}`)];
    const workers = folders.map((folder, i) => b.spawn(t + i * 100, payload, image, `"${image}" -path "${folder}" -threads 4`));
    const files = Math.max(10, Math.min(5000, params['files'] ?? 200));
    const ext = `.${rng.pick(['vgl', 'lockd', 'crpt', 'enc'])}`;
    let r = t + 2000;
    for (let i = 0; i < files; i++) {
      const doc = rng.pick(DOCUMENTS);
      const folder = folders[i % folders.length]!;
      const name = `${doc.stem}_2025-${String(rng.int(999)).padStart(3, '0')}.${doc.ext}`;
      const worker = workers[i % workers.length]!;
      const c = b.spawn(r, worker, CMD, `C:\\Windows\\system32\\cmd.exe /c ren "${folder}\\${name}" "${name}${ext}"`);
      b.exit(r + 30 + rng.int(40), c);
      if (folder.startsWith('\\\\') && i % 4 === 0) b.connect(r + 5, boot.get('system'), fs.ip, 445, 2_000_000 + rng.int(8_000_000), 2_000_000 + rng.int(8_000_000), fs.fqdn);
      r += 40 + rng.int(160);
    }
    const target = ctx.target;
    if (target) {
      const tb = ctx.on(target);
      const system = ctx.boot(target).get('system');
      for (let at2 = t + 2100; at2 < r; at2 += 2000 + rng.int(3000)) {
        tb.accept(at2, system, host.ip, 445, 20_000_000 + rng.int(40_000_000), 20_000_000 + rng.int(40_000_000));
      }
    }
    workers.forEach((w, i) => b.exit(r + 500 + i * 50, w));
    const note = `C:\\Users\\${user}\\Desktop\\LISEZ-MOI_RESTAURATION.txt`;
    const np = b.spawn(r + 2000, payload, NOTEPAD, `"C:\\Windows\\system32\\NOTEPAD.EXE" ${note}`);
    b.exit(r + 3000, payload);
    b.exit(r + 10 * 60_000, np);
  },
};
