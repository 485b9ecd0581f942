/**
 * The parsers Vigie takes from @stroncium/procfs, typed. They are pure functions of a file's text
 * (lib/parsers/*), so they are used directly rather than through its Procfs class: Vigie does its
 * own I/O (proc-reader.ts) to tell a vanished pid from a parse error.
 *
 * Used: stat (btime), processes (pid entries of a /proc listing), processFd (socket:[inode]).
 * Not used, hand-written instead: processCmdline (drops the last argument when it has no trailing
 * NUL, which happens after setproctitle), processStat and processStatus (they convert every field
 * of the file, several µs to 20 µs per exec, for the few that are needed; processStat also
 * percent-decodes comm with the global unescape()) and processNetTcp4/6 (no state and no inode
 * columns; IPv4 addresses left as raw integers).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const lib = (name: string): unknown => require(`@stroncium/procfs/lib/parsers/${name}.js`);

export interface LibStat {
  bootTime?: Date;
}

export type LibProcessFd =
  | { type: 'file'; path: string }
  | { type: 'pipe' | 'socket'; inode: number }
  | { type: 'anon-inode'; anonInodeType: string };

export const libStat = lib('stat') as (src: string) => LibStat;
/** Keeps the numeric names of a directory listing, as numbers. */
export const libProcesses = lib('processes') as (names: string[]) => number[];
/** Throws on link kinds it does not know: callers catch. */
export const libProcessFd = lib('processFd') as (link: string) => LibProcessFd;
