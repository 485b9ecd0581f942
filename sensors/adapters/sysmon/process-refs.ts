/**
 * Process identity for Sysmon events. Vigie names a process by (pid, start_time_ms); Sysmon names it
 * by ProcessGuid and gives its start time only in the process-create event (EID 1, UtcTime).
 *
 * The rule, applied in log order:
 * 1. A create event defines the process: pid = ProcessId (0 when the record lacks it), start =
 *    the create's UtcTime in ms. That ref is remembered under the ProcessGuid.
 * 2. Any other event (and a create's parent) looks its guid up. A remembered ref is reused as is,
 *    so every event of one process carries the same key, even if a later record has a pid the
 *    create lacked.
 * 3. A guid not seen before (its create predates the log, or was evicted) gets pid = the record's
 *    ProcessId (0 when absent) and start = the time embedded in the guid (whole seconds, see
 *    `guidStartMs`), else the time of this first event naming it. That ref is remembered too, so
 *    later events of the guid agree with the first.
 * 4. No guid at all (hand-made or damaged records): pid = ProcessId (0 when absent), start = 0, the
 *    proto's "unknown". An invented time would differ from event to event of one process; 0 keeps
 *    them equal and lets the engine fall back to matching by pid.
 * First resolution wins: a create that arrives after another event of its guid (log out of order)
 * reuses the ref already given, so the process keeps one key; such late creates are counted.
 * The map is bounded (least recently used out first), so a long log cannot grow it without limit;
 * evictions are counted. Returned refs are fresh objects: events never share mutable state.
 */
import type { ProcessRef } from '../../../common/events.js';

const GUID_RE = /^\{?[0-9a-fA-F]{8}-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$/;
/** Guid times outside [2000, 2100) are not times (e.g. Linux LogonGuid {...-0000-0000-...}). */
const MIN_GUID_S = 946_684_800;
const MAX_GUID_S = 4_102_444_800;

/**
 * The process start time Sysmon embeds in a ProcessGuid, in ms (whole seconds). Sysmon's guid is
 * {machine-id part}-{low 16 bits of the start time}-{high 16 bits}-...; both Windows and Linux
 * Sysmon write it so. Undefined when the guid does not have that shape or the time is implausible.
 */
export function guidStartMs(guid: string): number | undefined {
  const m = GUID_RE.exec(guid);
  if (!m || m[1] === undefined || m[2] === undefined) return undefined;
  const seconds = parseInt(m[2] + m[1], 16);
  return seconds >= MIN_GUID_S && seconds < MAX_GUID_S ? seconds * 1000 : undefined;
}

/** Guids are compared case-insensitively and with or without braces. */
function keyOf(guid: string): string {
  const g = guid.toLowerCase();
  return g.startsWith('{') ? g : `{${g}}`;
}

export interface ProcessRefsStats {
  size: number;
  hits: number;
  misses: number;
  evicted: number;
  lateCreates: number;
}

export class ProcessRefs {
  private readonly refs = new Map<string, ProcessRef>();
  private hits = 0;
  private misses = 0;
  private evicted = 0;
  private lateCreates = 0;

  constructor(private readonly capacity = 100_000) {
    if (!(capacity >= 1)) throw new RangeError('ProcessRefs capacity must be at least 1');
  }

  /** Rule 1: a process-create event defines its process. */
  define(guid: string | undefined, pid: number, startTimeMs: number): ProcessRef {
    if (guid === undefined) return { pid, startTimeMs };
    const key = keyOf(guid);
    const known = this.refs.get(key);
    if (known) {
      this.lateCreates++;
      this.remember(key, known);
      return { ...known };
    }
    this.remember(key, { pid, startTimeMs });
    return { pid, startTimeMs };
  }

  /** Rules 2 to 4: the ref of a process named by guid and/or pid in an event at `eventTimeMs`. */
  resolve(guid: string | undefined, pid: number | undefined, eventTimeMs: number): ProcessRef {
    if (guid === undefined) {
      this.misses++;
      return { pid: pid ?? 0, startTimeMs: 0 };
    }
    const key = keyOf(guid);
    const known = this.refs.get(key);
    if (known) {
      this.hits++;
      this.remember(key, known); // refreshes recency
      return { ...known };
    }
    this.misses++;
    const ref: ProcessRef = { pid: pid ?? 0, startTimeMs: guidStartMs(guid) ?? eventTimeMs };
    this.remember(key, ref);
    return { ...ref };
  }

  stats(): ProcessRefsStats {
    const { hits, misses, evicted, lateCreates } = this;
    return { size: this.refs.size, hits, misses, evicted, lateCreates };
  }

  private remember(key: string, ref: ProcessRef): void {
    this.refs.delete(key);
    this.refs.set(key, ref);
    if (this.refs.size > this.capacity) {
      const oldest = this.refs.keys().next().value;
      if (oldest !== undefined) {
        this.refs.delete(oldest);
        this.evicted++;
      }
    }
  }
}
