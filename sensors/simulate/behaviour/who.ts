/** Accounts processes run as, Windows and Linux. */
import type { Who } from './emit.js';
import type { VirtualHost } from './fleet.js';

const SYS32 = 'C:\\Windows\\system32\\';

export const WIN_SYSTEM: Who = { user: 'NT AUTHORITY\\SYSTEM', uid: 0, gid: 0, integrity: 'System', logonId: '0x3e7', cwd: SYS32 };
export const WIN_NETWORK_SERVICE: Who = { user: 'NT AUTHORITY\\NETWORK SERVICE', uid: 0, gid: 0, integrity: 'System', logonId: '0x3e4', cwd: SYS32 };
export const WIN_LOCAL_SERVICE: Who = { user: 'NT AUTHORITY\\LOCAL SERVICE', uid: 0, gid: 0, integrity: 'System', logonId: '0x3e5', cwd: SYS32 };

export function winService(account: string, logonId: string): Who {
  return { user: account, uid: 0, gid: 0, integrity: 'System', logonId, cwd: SYS32 };
}

/** A domain user of the host's tenant, at Medium integrity unless elevated. */
export function winUser(host: VirtualHost, user: string, logonId: string, integrity = 'Medium'): Who {
  return { user: `${host.infra.netbios}\\${user}`, uid: 0, gid: 0, integrity, logonId, cwd: `C:\\Users\\${user}\\` };
}

export function linuxUser(user: string, uid: number, home = `/home/${user}`): Who {
  return { user, uid, gid: uid, integrity: '', logonId: '', cwd: home };
}

export const ROOT: Who = { user: 'root', uid: 0, gid: 0, integrity: '', logonId: '', cwd: '/' };
export const WWW_DATA = linuxUser('www-data', 33, '/var/www');
export const POSTGRES = linuxUser('postgres', 114, '/var/lib/postgresql');
export const BACKUP = linuxUser('backup', 34, '/var/backups');
export const PORTAIL = linuxUser('portail', 1100, '/srv/portail');

/** Syndicate administrators get stable uids from 1001. */
export function linuxAdmin(user: string): Who {
  let h = 0;
  for (let i = 0; i < user.length; i++) h = (h * 31 + user.charCodeAt(i)) % 97;
  return linuxUser(user, 1001 + (h % 40));
}
