/**
 * The registry of role profiles: for each host role, its random activity sources and its
 * scheduled jobs. A new role or a new kind of activity is an entry here, not a change to the
 * slot generator.
 */
import type { HostRole, VirtualHost } from '../fleet.js';
import { weighted } from '../prng.js';
import { BACKUP_IN, CERTBOT, LINUX_BACKUP, LINUX_CLOCK } from './linux-jobs.js';
import { LINUX_ADMIN, LINUX_BASE, LINUX_DB, LINUX_WEB } from './linux-services.js';
import type { Activity, ActivitySource, RoleProfile } from './types.js';
import { WINDOWS_USER } from './windows-user.js';
import { APP_SERVER, DC, FILE_SERVER, SERVER_BACKUP, SHADOW_AM, SHADOW_PM, SQL_JOB, adminRdp } from './windows-server.js';
import { SERVER_SCAN, WINDOWS_CLOCK, WINDOWS_SYSTEM, WINDOWS_WORKSTATION_SYSTEM, WORKSTATION_SCAN } from './windows-system.js';

const ws = (host: VirtualHost) => host.infra.workstations;
const fixed = (n: number) => () => n;

const WINDOWS_BACKGROUND: ActivitySource = { rhythm: 'server', perMinute: fixed(0.6), table: WINDOWS_SYSTEM };
const RDP: ActivitySource = { rhythm: 'office', perMinute: fixed(0.01), table: weighted<Activity>([[adminRdp, 1]]) };
const SSH: ActivitySource = { rhythm: 'office', perMinute: fixed(0.01), table: LINUX_ADMIN };
const SCRAPE: ActivitySource = { rhythm: 'server', perMinute: fixed(0.25), table: LINUX_BASE };
const WINDOWS_SERVER_CLOCK = [...WINDOWS_CLOCK, SERVER_SCAN, SERVER_BACKUP];

export const PROFILES: Readonly<Record<HostRole, RoleProfile>> = {
  'workstation': {
    sources: [
      { rhythm: 'server', perMinute: fixed(0.5), table: WINDOWS_WORKSTATION_SYSTEM },
      { rhythm: 'session', perMinute: fixed(3.5), table: WINDOWS_USER },
    ],
    clock: [...WINDOWS_CLOCK, WORKSTATION_SCAN],
  },
  'dc': {
    sources: [WINDOWS_BACKGROUND, RDP, { rhythm: 'office', perMinute: (h) => 1 + 0.06 * ws(h), table: DC }],
    clock: WINDOWS_SERVER_CLOCK,
  },
  'file-server': {
    sources: [WINDOWS_BACKGROUND, RDP, { rhythm: 'office', perMinute: (h) => 0.5 + 0.1 * ws(h), table: FILE_SERVER }],
    clock: [...WINDOWS_SERVER_CLOCK, SHADOW_AM, SHADOW_PM],
  },
  'app-server': {
    sources: [WINDOWS_BACKGROUND, RDP, { rhythm: 'office', perMinute: (h) => 1 + 0.04 * ws(h), table: APP_SERVER }],
    clock: [...WINDOWS_SERVER_CLOCK, SQL_JOB],
  },
  'linux-web': {
    sources: [SCRAPE, SSH, { rhythm: 'server', perMinute: (h) => 2 + 0.03 * ws(h), table: LINUX_WEB }],
    clock: [...LINUX_CLOCK, LINUX_BACKUP, CERTBOT],
  },
  'linux-db': {
    sources: [SCRAPE, SSH, { rhythm: 'server', perMinute: (h) => 1 + 0.02 * ws(h), table: LINUX_DB }],
    clock: [...LINUX_CLOCK, LINUX_BACKUP],
  },
  'linux-backup': {
    sources: [SCRAPE, SSH],
    clock: [...LINUX_CLOCK, BACKUP_IN],
  },
};
