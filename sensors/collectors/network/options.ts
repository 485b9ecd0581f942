/** The network collector's options: defaults, and validation that reports every problem. */
import { hostname } from 'node:os';
import { VigieError } from '../../../common/errors.js';
import { SOCKET_TABLES } from '../../proc/parse-net.js';
import type { SocketTableName } from '../../proc/parse-net.js';

export interface NetworkCollectorOptions {
  /** Proc root; a fixture tree in tests. Default /proc. */
  procRoot?: string;
  /** Root holding passwd, for user names. Default /etc. */
  etcRoot?: string;
  /** Host name put on events. Default os.hostname(). */
  host?: string;
  /** Polling interval. Default 1000 ms. */
  intervalMs?: number;
  /** Tables read. Default all: tcp, tcp6, udp, udp6. */
  tables?: SocketTableName[];
  /** Bound of the already-reported set (keys for live sockets). Default 65536. */
  maxTrackedConnections?: number;
  /**
   * Where the socket tables come from: 'sockdiag' (NETLINK_SOCK_DIAG through the native addon,
   * about 13x cheaper than reading /proc/net/tcp on a large-memory host: sensors/proc/sock-diag.ts),
   * 'procfs' (/proc/net/*), or 'auto' (default: sockdiag when procRoot is /proc and the addon has
   * it, else procfs).
   */
  socketSource?: 'auto' | 'procfs' | 'sockdiag';
}

export type ResolvedNetworkOptions = Required<NetworkCollectorOptions>;

const KEYS = new Set(['procRoot', 'etcRoot', 'host', 'intervalMs', 'tables', 'maxTrackedConnections', 'socketSource']);
const SOURCES = ['auto', 'procfs', 'sockdiag'];

/** Throws VigieError(VIGIE_CONFIG_INVALID) naming every bad key. */
export function resolveNetworkOptions(options: NetworkCollectorOptions): ResolvedNetworkOptions {
  const problems: string[] = [];
  for (const key of Object.keys(options)) if (!KEYS.has(key)) problems.push(`unknown key ${key}`);
  const interval = options.intervalMs;
  if (interval !== undefined && (!Number.isInteger(interval) || interval < 10 || interval > 3_600_000)) {
    problems.push('intervalMs must be an integer in [10, 3600000]');
  }
  const max = options.maxTrackedConnections;
  if (max !== undefined && (!Number.isInteger(max) || max < 16 || max > 1 << 24)) {
    problems.push(`maxTrackedConnections must be an integer in [16, ${1 << 24}]`);
  }
  const tables = options.tables;
  if (tables !== undefined && (!Array.isArray(tables) || tables.length === 0
    || tables.some((t) => !SOCKET_TABLES.includes(t)))) {
    problems.push(`tables must be a non-empty list of ${SOCKET_TABLES.join(', ')}`);
  }
  if (options.socketSource !== undefined && !SOURCES.includes(options.socketSource)) problems.push(`socketSource must be one of ${SOURCES.join(', ')}`);
  if (problems.length > 0) {
    throw new VigieError('VIGIE_CONFIG_INVALID', `network collector: ${problems.join('; ')}`);
  }
  return {
    procRoot: options.procRoot ?? '/proc',
    etcRoot: options.etcRoot ?? '/etc',
    host: options.host ?? hostname(),
    intervalMs: interval ?? 1000,
    tables: [...new Set(tables ?? SOCKET_TABLES)],
    maxTrackedConnections: max ?? 65_536,
    socketSource: options.socketSource ?? 'auto',
  };
}
