/**
 * Remote execution on another fleet host with stolen administrator credentials, one of:
 * PsExec (SMB ADMIN$ + a service: services.exe -> PSEXESVC.exe -> cmd.exe on the target),
 * WMI (wmic /node: process call create: WmiPrvSE.exe -> cmd.exe on the target) or WinRM
 * (Invoke-Command: wsmprovhost.exe -> whoami.exe on the target). Events on both hosts.
 */
import { CMD, CONHOST, CONHOST_CMD, POWERSHELL, S32, WMIPRVSE } from '../paths.js';
import { ADMINS } from '../names.js';
import { WIN_SYSTEM, winUser } from '../who.js';
import type { Builder, Proc, Who } from '../emit.js';
import type { Scenario } from './types.js';

export const LATERAL_VARIANTS = ['psexec', 'wmic', 'winrm'] as const;

export const lateralMovement: Scenario = {
  name: 'lateral-movement',
  summary: 'Remote execution with stolen admin credentials via PsExec, WMIC or WinRM: the tool and its SMB/RPC/WinRM traffic on the source, the inbound connection and the service or WMI/WinRM host spawning a shell on the target.',
  techniques: ['T1021.002', 'T1569.002', 'T1047', 'T1021.006', 'T1078.002', 'T1570'],
  target: 'required',
  check(host, target) {
    if (!target) return 'lateral-movement needs a target host';
    if (target.name === host.name) return 'lateral-movement needs a target other than the source';
    if (host.os !== 'windows' || target.os !== 'windows') return 'lateral-movement uses Windows remote execution: source and target must be Windows';
    return undefined;
  },
  defaultTarget: (host, fleet) =>
    fleet.find((h) => h.tenant === host.tenant && h.role === 'file-server' && h.name !== host.name)
    ?? fleet.find((h) => h.tenant === host.tenant && h.os === 'windows' && h.name !== host.name) ?? null,
  build(ctx) {
    const { host, atMs: at, rng, params } = ctx;
    const target = ctx.target!;
    const src = ctx.on(host);
    const dst = ctx.on(target);
    const srcBoot = ctx.boot(host);
    const dstBoot = ctx.boot(target);
    const d = ctx.desktop(host, at - 60_000);
    const admin = rng.pick(ADMINS);
    const account = `${host.infra.netbios}\\${admin}`;
    const remote = winUser(target, admin, `0x${(0x400000 + rng.int(0xfffff)).toString(16)}`, 'High');
    const shell = src.spawn(at, d.shell, CMD, '"C:\\Windows\\system32\\cmd.exe" ', { ...d.who, integrity: 'High' });
    const con = src.spawn(at + 10, shell, CONHOST, CONHOST_CMD);
    const dc = host.infra.dc;
    const variant = LATERAL_VARIANTS[params['variant'] ?? rng.int(LATERAL_VARIANTS.length)] ?? 'psexec';
    const t = at + 10_000 + rng.int(20_000);
    src.dns(t, shell, target.fqdn, target.ip);
    // Kerberos service ticket for the target, requested by the source's LSASS.
    src.connect(t + 50, srcBoot.get('lsass'), dc.ip, 88, 1900, 1800, dc.fqdn);
    const payload = 'cmd.exe /c "whoami & hostname & ipconfig /all & net localgroup administrateurs"';
    let end: number;
    if (variant === 'psexec') {
      const tool = src.spawn(t + 200, shell, 'C:\\Users\\Public\\PsExec64.exe', `PsExec64.exe \\\\${target.name} -accepteula -u ${account} -p ******** -s ${payload}`);
      src.connect(t + 900, srcBoot.get('system'), target.ip, 445, 480_000 + rng.int(40_000), 9000, target.fqdn);
      dst.accept(t + 901, dstBoot.get('system'), host.ip, 445, 9000, 480_000 + rng.int(40_000));
      const svc = dst.spawn(t + 2500, dstBoot.get('services'), 'C:\\Windows\\PSEXESVC.exe', 'C:\\Windows\\PSEXESVC.exe', WIN_SYSTEM);
      end = remoteShell(dst, t + 3000, svc, payload, WIN_SYSTEM, rng.int(2000));
      dst.exit(end + 1500, svc);
      src.exit(end + 1700, tool);
    } else if (variant === 'wmic') {
      const tool = src.spawn(t + 200, shell, `${S32}wbem\\WMIC.exe`, `wmic  /node:"${target.name}" /user:"${account}" /password:"********" process call create "${payload}"`);
      const dyn = 49_664 + rng.int(400);
      src.connect(t + 800, tool, target.ip, 135, 3200, 2900, target.fqdn);
      src.connect(t + 1000, tool, target.ip, dyn, 7800, 6100, target.fqdn);
      dst.accept(t + 801, dstBoot.get('rpcss'), host.ip, 135, 2900, 3200);
      const wmi = dst.spawn(t + 900, dstBoot.get('dcom'), WMIPRVSE, 'C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding', WIN_SYSTEM);
      dst.accept(t + 1001, wmi, host.ip, dyn, 6100, 7800);
      end = remoteShell(dst, t + 2000, wmi, payload, remote, rng.int(2000));
      src.exit(t + 2600, tool);
      dst.exit(end + 60_000, wmi);
    } else {
      const block = `Invoke-Command -ComputerName ${target.name} -ScriptBlock { whoami /groups; Get-Process lsass; hostname }`;
      const tool = src.spawn(t + 200, shell, POWERSHELL, `powershell.exe -NoP -Command "${block}"`);
      src.connect(t + 1500, tool, target.ip, 5985, 14_000 + rng.int(4000), 22_000 + rng.int(8000), target.fqdn);
      dst.accept(t + 1501, dstBoot.get('winrm'), host.ip, 5985, 22_000, 14_000);
      const prov = dst.spawn(t + 2200, dstBoot.get('dcom'), `${S32}wsmprovhost.exe`, 'C:\\Windows\\system32\\wsmprovhost.exe -Embedding', remote);
      const who = dst.spawn(t + 3000, prov, `${S32}whoami.exe`, '"C:\\Windows\\system32\\whoami.exe" /groups');
      dst.exit(t + 3400, who);
      const host2 = dst.spawn(t + 3600, prov, `${S32}HOSTNAME.EXE`, '"C:\\Windows\\system32\\HOSTNAME.EXE"');
      dst.exit(t + 3800, host2);
      end = t + 5000;
      dst.exit(end + 2000, prov);
      src.exit(end + 2500, tool);
    }
    src.exit(end + 30_000, con);
    src.exit(end + 30_010, shell);
  },
};

/** cmd.exe /c "..." on the target, with its console and the commands it chains. */
function remoteShell(b: Builder, t: number, parent: Proc, payload: string, who: Who, jitter: number): number {
  const cmd = b.spawn(t, parent, CMD, payload, who);
  const con = b.spawn(t + 12, cmd, CONHOST, CONHOST_CMD);
  let at = t + 200 + jitter;
  for (const [exe, line] of [['whoami.exe', 'whoami'], ['HOSTNAME.EXE', 'hostname'], ['ipconfig.exe', 'ipconfig  /all'], ['net.exe', 'net  localgroup administrateurs']] as const) {
    const p = b.spawn(at, cmd, `${S32}${exe}`, line);
    b.exit(at + 150 + b.rng.int(500), p);
    at += 800;
  }
  b.exit(at + 100, con);
  b.exit(at + 110, cmd);
  return at + 110;
}
