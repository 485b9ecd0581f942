/**
 * The simulated fleet: which hosts exist, in which town (tenant), with which role, address,
 * user and seed. Pure data, derived from (hosts, seed, tenants, startMs): the same options give
 * the same fleet, host for host.
 */
import { VigieError } from '../../../common/errors.js';
import { mix, Rng } from './prng.js';
import { ADMINS, DEFAULT_TENANTS, FIRST_NAMES, LAST_NAMES } from './names.js';
import { DAY_MS, HOUR_MS } from './clock.js';

export type HostRole = 'workstation' | 'dc' | 'file-server' | 'app-server' | 'linux-web' | 'linux-db' | 'linux-backup';
export type HostOs = 'windows' | 'linux';
export type Browser = 'chrome' | 'edge' | 'firefox';

/** Another machine of the tenant that hosts talk to (it may or may not be in the fleet). */
export interface PeerHost {
  readonly name: string;
  readonly fqdn: string;
  readonly ip: string;
}

/** What every host of a tenant knows about its town's network. */
export interface TenantInfra {
  readonly tenant: string;
  readonly code: string;
  /** Active Directory DNS domain, e.g. "beaumont.local". */
  readonly domain: string;
  /** NetBIOS domain name, e.g. "BEAUMONT". */
  readonly netbios: string;
  /** First two octets and a dot, e.g. "10.21.". */
  readonly prefix: string;
  readonly dc: PeerHost;
  readonly fileServer: PeerHost;
  readonly backup: PeerHost;
  readonly app: PeerHost | null;
  readonly web: PeerHost | null;
  readonly db: PeerHost | null;
  readonly printerIp: string;
  /** Number of workstations: peers are picked among them with workstationIp(). */
  readonly workstations: number;
}

export interface VirtualHost {
  readonly index: number;
  readonly name: string;
  readonly fqdn: string;
  readonly sensorId: string;
  readonly tenant: string;
  readonly role: HostRole;
  readonly os: HostOs;
  readonly osVersion: string;
  readonly ip: string;
  /** Root of every random stream of this host: mix(fleet seed, index). */
  readonly seed: number;
  /** When the long-lived processes started (before the fleet's startMs). */
  readonly bootMs: number;
  readonly utcOffsetMs: number;
  /** Per-host activity multiplier (heavy and light users, busy and quiet servers). */
  readonly activity: number;
  /** Primary interactive user: the office worker, or the usual administrator of a server. */
  readonly user: string;
  readonly browser: Browser;
  readonly infra: TenantInfra;
}

export interface FleetOptions {
  hosts: number;
  seed: number;
  /** Tenant ids, or how many of the default towns to use. Default: one town per ~60 hosts, up to 12. */
  tenants?: readonly string[] | number;
  /** Virtual time the fleet starts at; hosts booted before it. Default DEFAULT_FLEET_START_MS. */
  startMs?: number;
  /** Local time offset of the fleet (no DST). Default 60 (Paris winter time). */
  utcOffsetMin?: number;
}

/** Monday 2025-01-06 00:00 Paris time: a fixed default keeps fleets reproducible. */
export const DEFAULT_FLEET_START_MS = Date.UTC(2025, 0, 5, 23, 0, 0);

const SERVER_CYCLE: readonly HostRole[] = [
  'dc', 'file-server', 'linux-web', 'app-server', 'linux-db', 'linux-backup',
  'file-server', 'dc', 'linux-web', 'app-server', 'file-server', 'linux-db',
];

const SERVER_SUFFIX: Record<HostRole, string> = {
  'workstation': 'PC', 'dc': 'DC', 'file-server': 'FS', 'app-server': 'APP',
  'linux-web': 'web', 'linux-db': 'db', 'linux-backup': 'bak',
};

export function osOf(role: HostRole): HostOs {
  return role.startsWith('linux-') ? 'linux' : 'windows';
}

/** Address of the k-th workstation of a tenant (0-based). */
export function workstationIp(infra: TenantInfra, k: number): string {
  return `${infra.prefix}${1 + Math.floor(k / 200)}.${20 + (k % 200)}`;
}

/** Roles of a tenant's hosts, servers first: about 3.5% servers; a DC and a file server, and a Linux web server from 20 hosts. */
export function tenantRoles(n: number): HostRole[] {
  if (n <= 1) return ['workstation'];
  const servers = n <= 3 ? n - 1 : Math.min(n - 1, Math.max(n >= 20 ? 3 : 2, Math.round(n * 0.035)));
  const roles: HostRole[] = [];
  for (let i = 0; i < servers; i++) roles.push(SERVER_CYCLE[i % SERVER_CYCLE.length]!);
  while (roles.length < n) roles.push('workstation');
  return roles;
}

function tenantList(o: FleetOptions): Array<{ id: string; code: string; weight: number }> {
  if (Array.isArray(o.tenants)) {
    const used = new Set<string>();
    return (o.tenants as readonly string[]).map((id) => {
      const known = DEFAULT_TENANTS.find((t) => t.id === id);
      let code = known?.code ?? (id.replace(/[^a-z]/gi, '').slice(0, 4).toUpperCase() || 'TOWN');
      for (let i = 2; used.has(code); i++) code = `${code.slice(0, 3)}${i}`;
      used.add(code);
      return { id, code, weight: known?.weight ?? 1 };
    });
  }
  const count = typeof o.tenants === 'number' ? o.tenants : Math.min(12, Math.ceil(o.hosts / 60));
  return DEFAULT_TENANTS.slice(0, Math.max(1, Math.min(count, DEFAULT_TENANTS.length)));
}

/** Splits n hosts among tenants by weight, each tenant getting at least one. */
function tenantSizes(n: number, weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => Math.max(1, Math.floor((n * w) / total)));
  let diff = n - sizes.reduce((a, b) => a + b, 0);
  for (let i = 0; diff !== 0; i = (i + 1) % sizes.length) {
    if (diff > 0) { sizes[i]!++; diff--; } else if (sizes[i]! > 1) { sizes[i]!--; diff++; }
  }
  return sizes;
}

function validate(o: FleetOptions): void {
  const bad = (field: string, why: string) => new VigieError('VIGIE_CONFIG_INVALID', why, { field });
  if (!Number.isInteger(o.hosts) || o.hosts < 1 || o.hosts > 500_000) throw bad('hosts', `hosts must be an integer in 1..500000, got ${o.hosts}`);
  if (!Number.isFinite(o.seed)) throw bad('seed', 'seed must be a finite number');
  const t = o.tenants;
  if (Array.isArray(t) && (t.length === 0 || t.length > 200 || new Set(t).size !== t.length || t.some((id) => !/^[a-z0-9][a-z0-9-]*$/.test(id)))) {
    throw bad('tenants', 'tenants must be 1..200 distinct kebab-case ids');
  }
  if (typeof t === 'number' && (!Number.isInteger(t) || t < 1)) throw bad('tenants', 'tenant count must be a positive integer');
  if (Array.isArray(t) && t.length > o.hosts) throw bad('tenants', 'more tenants than hosts');
}

export function createFleet(options: FleetOptions): VirtualHost[] {
  validate(options);
  const startMs = options.startMs ?? DEFAULT_FLEET_START_MS;
  const utcOffsetMs = (options.utcOffsetMin ?? 60) * 60_000;
  const tenants = tenantList(options);
  const sizes = tenantSizes(options.hosts, tenants.map((t) => t.weight));
  // A town is one 10.x.0.0/16: 254 x 200 workstation addresses.
  if (Math.max(...sizes) > 50_000) {
    throw new VigieError('VIGIE_CONFIG_INVALID', 'more than 50000 hosts in one tenant: give more tenants', { field: 'tenants' });
  }
  const hosts: VirtualHost[] = [];
  tenants.forEach((t, ti) => {
    const roles = tenantRoles(sizes[ti]!);
    const prefix = `10.${20 + ti}.`;
    const netbios = t.id.replace(/-/g, '').slice(0, 15).toUpperCase();
    const domain = `${t.id}.local`;
    const serverName = (role: HostRole, n: number) => {
      const suffix = `${SERVER_SUFFIX[role]}${String(n).padStart(2, '0')}`;
      return osOf(role) === 'linux' ? `${t.code.toLowerCase()}-${suffix}` : `${t.code}-${suffix}`;
    };
    const peer = (name: string, ip: string): PeerHost => ({ name, fqdn: `${name.toLowerCase()}.${domain}`, ip });
    const firstServer = (role: HostRole) => {
      const j = roles.indexOf(role);
      return j < 0 ? null : peer(serverName(role, 1), `${prefix}0.${10 + j}`);
    };
    const workstations = roles.filter((r) => r === 'workstation').length;
    const fileServer = firstServer('file-server') ?? firstServer('dc') ?? peer(serverName('file-server', 1), `${prefix}0.11`);
    const infra: TenantInfra = {
      tenant: t.id, code: t.code, domain, netbios, prefix,
      dc: firstServer('dc') ?? peer(serverName('dc', 1), `${prefix}0.10`),
      fileServer,
      backup: firstServer('linux-backup') ?? fileServer,
      app: firstServer('app-server'), web: firstServer('linux-web'), db: firstServer('linux-db'),
      printerIp: `${prefix}0.250`,
      workstations,
    };
    const perRole = new Map<HostRole, number>();
    let k = 0;
    roles.forEach((role, j) => {
      const index = hosts.length;
      const seed = mix(options.seed, index);
      const rng = new Rng(seed, 0xf1ee7);
      const n = (perRole.get(role) ?? 0) + 1;
      perRole.set(role, n);
      const isWs = role === 'workstation';
      const name = isWs ? `${t.code}-PC${String(n).padStart(4, '0')}` : serverName(role, n);
      const os = osOf(role);
      const first = rng.pick(FIRST_NAMES);
      const last = rng.pick(LAST_NAMES);
      hosts.push({
        index, name, os, role, tenant: t.id, seed,
        fqdn: `${name.toLowerCase()}.${domain}`,
        sensorId: `sim-${t.id}-${name.toLowerCase()}`,
        osVersion: os === 'linux'
          ? rng.pick(['Debian 12', 'Debian 12', 'Ubuntu 22.04', 'Rocky Linux 9'])
          : isWs ? rng.pick(['Windows 11 23H2', 'Windows 11 23H2', 'Windows 10 22H2']) : rng.pick(['Windows Server 2019', 'Windows Server 2022']),
        ip: isWs ? workstationIp(infra, k++) : `${prefix}0.${10 + j}`,
        bootMs: startMs - (isWs ? rng.between(2, 120) * HOUR_MS : rng.between(1, 90) * DAY_MS) - rng.int(HOUR_MS),
        utcOffsetMs,
        activity: Math.min(2.5, Math.max(0.4, Math.exp(0.35 * rng.normal()))),
        user: isWs ? `${first[0]}.${last}` : rng.pick(ADMINS),
        browser: rng.chance(0.55) ? 'chrome' : rng.chance(0.9) ? 'edge' : 'firefox',
        infra,
      });
    });
  });
  return hosts;
}
