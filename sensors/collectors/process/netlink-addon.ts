/**
 * Loading the vigie_netlink native addon (sensors/native/vigie_netlink.c, built by node-gyp into
 * build/Release/ at the repository root). The path is found from this module's own location, by
 * walking up the directories, so the same code works from source (sensors/collectors/process/,
 * three levels down) and from the compiled tree (dist/sensors/collectors/process/, four levels).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fail, ok } from '../../../common/errors.js';
import type { Result } from '../../../common/errors.js';

export interface NetlinkHandle {
  /** Stops the poll and closes the socket. Idempotent; no callback runs afterwards. */
  close(): void;
  /** The netlink port id the kernel assigned. */
  readonly portId: number;
}

export interface NetlinkAddon {
  /**
   * Throws an Error whose `code` is the errno name (EPERM...) if the connector is refused.
   * `split`: execs on a socket of their own, forks and exits on another one read lazily (fewer
   * wakeups; see vigie_netlink.c). A build that predates it ignores the argument.
   */
  open(
    receiveBufferBytes: number,
    seq: number,
    onBatch: (records: Buffer, overruns: number) => void,
    onError: (message: string, errno: number) => void,
    split?: boolean,
  ): NetlinkHandle;
  readonly recordSize: number;
  /**
   * One dump of the kernel's TCP or UDP sockets of a family (NETLINK_SOCK_DIAG), as packed
   * records of `diagRecordSize` bytes (sensors/native/vigie_sockdiag.c; sensors/proc/sock-diag.ts
   * renders them). Throws an Error whose `code` is the errno name. Absent from older builds.
   */
  diagDump?(family: number, protocol: number): Buffer;
  readonly diagRecordSize?: number;
}

const ADDON_RELATIVE = join('build', 'Release', 'vigie_netlink.node');
const MAX_LEVELS = 6;

/** The first build/Release/vigie_netlink.node found walking up from `fromDir`. */
export function findAddon(fromDir: string = dirname(fileURLToPath(import.meta.url))): string | undefined {
  let dir = fromDir;
  for (let i = 0; i < MAX_LEVELS; i++) {
    const candidate = join(dir, ADDON_RELATIVE);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

/** Loads the addon from `path` (default: findAddon()). A missing or broken build is a value. */
export function loadNetlinkAddon(path?: string): Result<NetlinkAddon> {
  if (process.platform !== 'linux') {
    return fail('VIGIE_NETLINK_UNAVAILABLE', `the process-events connector is Linux-only (platform ${process.platform})`);
  }
  const file = path ?? findAddon();
  if (file === undefined) {
    return fail('VIGIE_NETLINK_UNAVAILABLE', `native addon not built (no ${ADDON_RELATIVE} above ${dirname(fileURLToPath(import.meta.url))})`);
  }
  try {
    const addon = createRequire(import.meta.url)(file) as Partial<NetlinkAddon>;
    if (typeof addon.open !== 'function' || typeof addon.recordSize !== 'number') {
      return fail('VIGIE_NETLINK_UNAVAILABLE', 'native addon has no open()', { file });
    }
    return ok(addon as NetlinkAddon);
  } catch (e) {
    return fail('VIGIE_NETLINK_UNAVAILABLE', `native addon failed to load: ${(e as Error).message}`, { file });
  }
}
