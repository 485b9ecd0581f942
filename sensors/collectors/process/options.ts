/** The process collector's options: defaults, and validation that reports every problem. */
import { hostname } from 'node:os';
import { VigieError } from '../../../common/errors.js';
import type { NetlinkAddon } from './netlink-addon.js';

export interface ProcessCollectorOptions {
  /** "auto" (default): netlink, falling back to polling; "procfs-poll": polling only. */
  mode?: 'auto' | 'procfs-poll';
  /** Proc root; a fixture tree in tests. Default /proc. */
  procRoot?: string;
  /** Root holding passwd, for user names. Default /etc. */
  etcRoot?: string;
  /** Host name put on events. Default os.hostname(). */
  host?: string;
  /** Polling interval of the fallback. Default 250 ms. */
  pollIntervalMs?: number;
  /** Re-read every known pid's stat every N scans (pid reuse, lost exits). Default 20. */
  verifyEvery?: number;
  /** The compiled addon. Default: build/Release/vigie_netlink.node above this module. */
  addonPath?: string;
  /** An addon object to use instead of loading one (tests inject fakes). */
  netlinkAddon?: NetlinkAddon;
  /** SO_RCVBUF(FORCE) of the netlink socket. Default 8 MiB. */
  receiveBufferBytes?: number;
  /** How long to wait for the kernel's subscription acknowledgement. Default 2000 ms. */
  ackTimeoutMs?: number;
  /**
   * Netlink: execs on a socket of their own, forks and exits read when an exec arrives or at most
   * every 100 ms (half the wakeups at a steady rate of launches). Default true.
   */
  netlinkSplit?: boolean;
  /** Keep quiet only the agent's own pid, or (default) its descendants too. */
  selfFilter?: 'process' | 'descendants';
  /** The agent's pid. Default process.pid. */
  selfPid?: number;
  /** Bound of the live-process table. Default 65536. */
  maxTrackedProcesses?: number;
  /** Longer command lines are cut. Default 32768 characters. */
  maxCommandLineChars?: number;
}

export type ResolvedProcessOptions = Required<Omit<ProcessCollectorOptions, 'addonPath' | 'netlinkAddon'>>
  & Pick<ProcessCollectorOptions, 'addonPath' | 'netlinkAddon'>;

const KEYS = new Set(['mode', 'procRoot', 'etcRoot', 'host', 'pollIntervalMs', 'verifyEvery', 'addonPath',
  'netlinkAddon', 'receiveBufferBytes', 'ackTimeoutMs', 'netlinkSplit', 'selfFilter', 'selfPid', 'maxTrackedProcesses',
  'maxCommandLineChars']);

const RANGES: Record<string, [number, number]> = {
  pollIntervalMs: [10, 3_600_000],
  verifyEvery: [1, 1_000_000],
  receiveBufferBytes: [65_536, 1 << 30],
  ackTimeoutMs: [10, 60_000],
  selfPid: [1, 2 ** 31 - 1],
  maxTrackedProcesses: [16, 1 << 24],
  maxCommandLineChars: [64, 1 << 24],
};

/** Throws VigieError(VIGIE_CONFIG_INVALID) naming every bad key. */
export function resolveProcessOptions(options: ProcessCollectorOptions): ResolvedProcessOptions {
  const problems: string[] = [];
  for (const key of Object.keys(options)) if (!KEYS.has(key)) problems.push(`unknown key ${key}`);
  for (const [key, [min, max]] of Object.entries(RANGES)) {
    const v = (options as Record<string, unknown>)[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)) {
      problems.push(`${key} must be an integer in [${min}, ${max}]`);
    }
  }
  if (options.mode !== undefined && options.mode !== 'auto' && options.mode !== 'procfs-poll') {
    problems.push('mode must be "auto" or "procfs-poll"');
  }
  if (options.netlinkSplit !== undefined && typeof options.netlinkSplit !== 'boolean') {
    problems.push('netlinkSplit must be a boolean');
  }
  if (options.selfFilter !== undefined && options.selfFilter !== 'process' && options.selfFilter !== 'descendants') {
    problems.push('selfFilter must be "process" or "descendants"');
  }
  if (problems.length > 0) {
    throw new VigieError('VIGIE_CONFIG_INVALID', `process collector: ${problems.join('; ')}`);
  }
  return {
    mode: options.mode ?? 'auto',
    procRoot: options.procRoot ?? '/proc',
    etcRoot: options.etcRoot ?? '/etc',
    host: options.host ?? hostname(),
    pollIntervalMs: options.pollIntervalMs ?? 250,
    verifyEvery: options.verifyEvery ?? 20,
    addonPath: options.addonPath,
    netlinkAddon: options.netlinkAddon,
    receiveBufferBytes: options.receiveBufferBytes ?? 8 << 20,
    ackTimeoutMs: options.ackTimeoutMs ?? 2000,
    netlinkSplit: options.netlinkSplit ?? true,
    selfFilter: options.selfFilter ?? 'descendants',
    selfPid: options.selfPid ?? process.pid,
    maxTrackedProcesses: options.maxTrackedProcesses ?? 65_536,
    maxCommandLineChars: options.maxCommandLineChars ?? 32_768,
  };
}
