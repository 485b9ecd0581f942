/**
 * Image path classes: where an executable lives says much about it (System32 and /usr/bin are
 * installed by the OS; AppData, Temp and /tmp are writable by the user and by whatever the user
 * downloaded). Pure functions over a path string, tested on literal paths.
 */
import { isAscii, matchesLowerAt } from './fold-case.js';

/** Index of the first character of the file name (after the last / or \). */
export function basenameStart(path: string): number {
  for (let i = path.length - 1; i >= 0; i--) {
    const c = path.charCodeAt(i);
    if (c === 47 || c === 92) return i + 1;
  }
  return 0;
}

/** The file name in lower case ("C:\\Windows\\System32\\cmd.exe" -> "cmd.exe"). */
export function basename(path: string): string {
  return path.slice(basenameStart(path)).toLowerCase();
}

/** Bit flags of an image path's class. */
export const PathClass = {
  SYSTEM: 1,
  PROGRAM: 2,
  USER_WRITABLE: 4,
  TEMP: 8,
} as const;

const SYSTEM_PREFIXES = ['c:\\windows\\', '/usr/bin/', '/bin/', '/usr/sbin/', '/sbin/', '/usr/lib/systemd/', '/lib/systemd/'];
const PROGRAM_PREFIXES = ['c:\\program files\\', 'c:\\program files (x86)\\', '/opt/', '/usr/lib/', '/usr/local/', '/usr/share/', '/snap/'];
const USER_MARKERS = ['\\users\\', '\\programdata\\', '\\perflogs\\', '\\$recycle.bin\\', '/home/', '/root/', '/var/www/', '/srv/'];
const TEMP_MARKERS = ['\\temp\\', '\\tmp\\', '\\downloads\\', '\\windows\\tasks\\', '\\appdata\\local\\temp', '/tmp/', '/var/tmp/', '/dev/shm/', '/run/user/'];

/**
 * Classes of a path (lower case): SYSTEM (OS directories), PROGRAM (installed software),
 * USER_WRITABLE (profiles, ProgramData, web roots) and TEMP (temp and download folders, also
 * user-writable). C:\Windows\Temp is TEMP and USER_WRITABLE, not SYSTEM.
 */
export function pathClass(lowerPath: string): number {
  let flags = 0;
  for (const m of TEMP_MARKERS) if (lowerPath.includes(m)) flags |= PathClass.TEMP | PathClass.USER_WRITABLE;
  if (flags === 0) for (const m of USER_MARKERS) if (lowerPath.includes(m)) flags |= PathClass.USER_WRITABLE;
  if (flags !== 0) return flags;
  // drive letters other than C: are read as C: (D:\Windows is still a Windows directory)
  const p = /^[a-z]:\\/.test(lowerPath) ? 'c' + lowerPath.slice(1) : lowerPath;
  for (const m of SYSTEM_PREFIXES) if (p.startsWith(m)) return PathClass.SYSTEM;
  for (const m of PROGRAM_PREFIXES) if (p.startsWith(m)) return PathClass.PROGRAM;
  return 0;
}

/** Script hosts and living-off-the-land binaries that run code given on their command line. */
export const SCRIPT_HOSTS: ReadonlySet<string> = new Set([
  'powershell.exe', 'pwsh.exe', 'cmd.exe', 'wscript.exe', 'cscript.exe', 'mshta.exe', 'rundll32.exe',
  'regsvr32.exe', 'msbuild.exe', 'installutil.exe', 'certutil.exe', 'bitsadmin.exe', 'wmic.exe',
  'bash', 'sh', 'dash', 'zsh', 'python', 'python3', 'perl', 'ruby', 'php', 'node', 'curl', 'wget', 'nc', 'ncat',
]);

/**
 * Discovery and administration utilities that hands-on-keyboard intrusions run one after the
 * other (whoami, net, sc, reg, nltest...), and the compilers PowerShell's Add-Type starts. Benign
 * background activity seldom runs them; an administrator does, and then the lineage tells.
 */
export const RECON_TOOLS: ReadonlySet<string> = new Set([
  'whoami.exe', 'net.exe', 'net1.exe', 'sc.exe', 'reg.exe', 'netsh.exe', 'auditpol.exe', 'nltest.exe', 'ipconfig.exe',
  'systeminfo.exe', 'tasklist.exe', 'taskkill.exe', 'quser.exe', 'qwinsta.exe', 'query.exe', 'schtasks.exe', 'at.exe',
  'wevtutil.exe', 'vssadmin.exe', 'wbadmin.exe', 'bcdedit.exe', 'dsquery.exe', 'nslookup.exe', 'arp.exe', 'route.exe',
  'netstat.exe', 'hostname.exe', 'csc.exe', 'cvtres.exe', 'klist.exe', 'cmdkey.exe', 'icacls.exe', 'takeown.exe', 'fsutil.exe',
  'whoami', 'id', 'uname', 'hostname', 'ifconfig', 'ip', 'netstat', 'ss', 'ps', 'crontab', 'systemctl', 'useradd', 'usermod',
  'passwd', 'chmod', 'chown', 'nmap', 'base64', 'xxd',
]);

/** Document and mail applications: a script host started by one of these is a classic lure. */
export const DOCUMENT_APPS: ReadonlySet<string> = new Set([
  'winword.exe', 'excel.exe', 'powerpnt.exe', 'outlook.exe', 'msaccess.exe', 'mspub.exe', 'onenote.exe',
  'visio.exe', 'acrord32.exe', 'acrobat.exe', 'foxitreader.exe', 'soffice.bin', 'thunderbird.exe',
]);

/** Users that are the system itself (Windows service accounts, root). */
export function isSystemUser(user: string, uid: number): boolean {
  if (uid === 0 && (user === '' || user === 'root' || user === 'uid:0')) return true;
  if (isAscii(user)) {
    const n = user.length;
    return (n === 4 && matchesLowerAt(user, 0, 'root')) || (n === 6 && matchesLowerAt(user, 0, 'system')) ||
      matchesLowerAt(user, n - 7, '\\system') || matchesLowerAt(user, n - 14, '\\local service') ||
      matchesLowerAt(user, n - 16, '\\network service');
  }
  const u = user.toUpperCase();
  return u === 'ROOT' || u.endsWith('\\SYSTEM') || u.endsWith('\\LOCAL SERVICE') || u.endsWith('\\NETWORK SERVICE') || u === 'SYSTEM';
}

/**
 * Windows integrity level as a number in [0, 1]: Untrusted 0, Low and AppContainer 0.25,
 * Medium 0.5, High 0.75, System 1. Without a level (Linux): root 0.75, other users 0.5.
 */
export function integrityOrdinal(level: string, uid: number, systemUser: boolean): number {
  switch (level) { // the spellings collectors send, without a lower-case copy
    case 'Medium': return 0.5;
    case 'High': return 0.75;
    case 'System': return 1;
    case 'Low': return 0.25;
  }
  switch (level.toLowerCase()) {
    case 'untrusted': return 0;
    case 'low': case 'appcontainer': return 0.25;
    case 'medium': case 'mediumplus': return 0.5;
    case 'high': return 0.75;
    case 'system': case 'protected': return 1;
    default: return systemUser || uid === 0 ? 0.75 : 0.5;
  }
}
