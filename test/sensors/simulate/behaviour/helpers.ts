/** Shared fixtures and checks for the behaviour generator tests. */
import type { Event } from '../../../../common/events.js';
import { processKey } from '../../../../common/events.js';
import { createFleet, DAY_MS, DEFAULT_FLEET_START_MS, HOUR_MS, type VirtualHost } from '../../../../sensors/simulate/behaviour/index.js';

/** Monday 2025-01-06, local midnight (Paris). */
export const MONDAY = DEFAULT_FLEET_START_MS;
export const TUESDAY = MONDAY + DAY_MS;
export const at = (day: number, hour: number) => day + hour * HOUR_MS;

/** One town large enough to have every role. */
export function townFleet(seed = 42): VirtualHost[] {
  return createFleet({ hosts: 200, seed, tenants: ['beaumont'] });
}

export function byRole(fleet: readonly VirtualHost[], role: VirtualHost['role']): VirtualHost {
  const h = fleet.find((x) => x.role === role);
  if (!h) throw new Error(`no ${role} in fleet`);
  return h;
}

export interface TreeReport {
  problems: string[];
  starts: number;
  exits: number;
}

/**
 * Replays a host's events (after its snapshot) and checks the process tree: every start's parent
 * started earlier and is still running (or is the kernel, pid 0), no live pid is reused, every
 * exit and every network/DNS event names a running process.
 */
export function checkTree(snapshot: readonly Event[], events: readonly Event[]): TreeReport {
  const alive = new Map<string, Event>();
  const livePids = new Set<number>();
  const ever = new Set<string>();
  const problems: string[] = [];
  let starts = 0;
  let exits = 0;
  const say = (e: Event, why: string) => {
    if (problems.length < 20) problems.push(`${why}: ${JSON.stringify(e).slice(0, 400)}`);
  };
  const start = (e: Event, checkParent: boolean) => {
    const s = e.processStart!;
    const key = processKey(s.process);
    if (checkParent && (s.parent?.pid ?? 0) !== 0 && !alive.has(processKey(s.parent))) say(e, 'parent not running');
    if (ever.has(key)) say(e, 'duplicate (pid, start)');
    if (livePids.has(s.process!.pid!)) say(e, 'pid reused while alive');
    if (s.process!.startTimeMs !== e.timeMs) say(e, 'start time differs from event time');
    alive.set(key, e);
    ever.add(key);
    livePids.add(s.process!.pid!);
  };
  // A snapshot lists what runs now: a running process's parent may have exited long ago
  // (explorer.exe outlives userinit.exe), so only the events after it are held to parents.
  for (const e of snapshot) start(e, false);
  for (const e of events) {
    if (e.processStart) {
      starts++;
      start(e, true);
    } else if (e.processExit) {
      exits++;
      const key = processKey(e.processExit.process);
      if (!alive.has(key)) say(e, 'exit of a process not running');
      alive.delete(key);
      livePids.delete(e.processExit.process!.pid!);
    } else {
      const p = e.network?.process ?? e.dns?.process;
      if (!alive.has(processKey(p))) say(e, 'activity of a process not running');
    }
  }
  return { problems, starts, exits };
}
