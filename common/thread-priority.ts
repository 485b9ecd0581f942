/**
 * Lowers the calling thread's CPU priority (Linux nice, per thread): the engine's analysis
 * threads run below ingest, so that under a burst the cores go first to archiving and acking
 * (the sensors' spools drain) and analysis catches up from the archive afterwards.
 *
 * Linux only: a thread's id comes from /proc/thread-self, and setpriority() on a thread id
 * changes that thread alone. Raising nice needs no privilege. Elsewhere, or when it fails, the
 * thread keeps its priority and the reason is returned.
 */
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** The calling thread's kernel id (Linux), or undefined. */
export function threadId(): number | undefined {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isSafeInteger(tid) && tid > 0 ? tid : undefined;
  } catch {
    return undefined;
  }
}

/** Sets the calling thread's nice value (0..19); the nice value now in force, or why it is unchanged. */
export function niceThisThread(nice: number): { ok: true; nice: number } | { ok: false; reason: string } {
  const tid = threadId();
  if (tid === undefined) return { ok: false, reason: 'no /proc/thread-self (not Linux)' };
  try {
    setPriority(tid, nice);
    return { ok: true, nice: getPriority(tid) };
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
}
