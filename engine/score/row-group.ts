/**
 * What a micro-batch's rows are about, one object per scoreRows() call and model kind, not one
 * per row: the batch's sensor, seq and events, and per row (by its index in the extracted rows,
 * MicroBatch.rowIndex) the index of its event and, for network rows, its window's context. A
 * row's RowTag (model-detection.ts) is built only when it becomes a detection.
 *
 * The group also carries, per row, the identities lineage needs (pid and start time of the
 * process, and of its parent for process rows), read when the rows are added: the extractor has
 * just walked those events, so they are in cache then, while by the time the micro-batch is
 * scored they often are not (a cold event costs several cache misses: more than the lineage
 * lookup itself).
 *
 * A group holds its batch's events array until its last row is scored (at most maxDelayMs
 * unless the model is slower): never the batch itself, and no copy of the events.
 */
import type { Event } from '../../common/events.js';
import type { FeatureRows, NetworkRowContext } from '../../models/features/index.js';
import { refPid, refStart } from '../../models/features/process-map.js';
import { readProcessKey } from '../../models/score/process-key.js';
import type { RowTag } from './model-detection.js';

export interface RowGroup {
  /** The batch's sensor id and tenant ('' for a periodic drain: network rows name their own). */
  readonly sensorId: string;
  readonly tenant: string;
  /** The batch's seq; -1 for a drain. */
  readonly seq: number;
  readonly events: readonly Event[];
  /** Per row: its event's index in `events` (-1: none). A copy: the extractor reuses its buffers. */
  readonly eventIndex: Int32Array;
  /** Network rows: per row, its window's context (a copy of the list, same objects). */
  readonly network: readonly NetworkRowContext[] | undefined;
  /** Extracted while the rarity counters were still warming up: no detection is raised. */
  readonly warmingUp: boolean;
  /**
   * Per row, IDS_PER_ROW numbers: the process's pid and start time, then (process rows) its
   * parent's, as processKey() reads them (0 when absent). Network rows: from the window's key.
   */
  readonly ids: Float64Array;
}

/** Numbers per row in RowGroup.ids: pid, start, parent pid, parent start (network rows: the first two). */
export const IDS_PER_ROW = 4;

const scratch = { pid: 0, start: 0 };

/** The group of `rows` (process rows, or network rows with their contexts); copies what the extractor reuses. */
export function rowGroup(sensorId: string, tenant: string, seq: number, events: readonly Event[], rows: FeatureRows,
  network: readonly NetworkRowContext[] | undefined, warmingUp: boolean): RowGroup {
  const n = rows.count;
  const eventIndex = rows.eventIndex.slice(0, n);
  const ids = new Float64Array(n * IDS_PER_ROW);
  const contexts = network?.slice(0, n);
  if (contexts) {
    for (let r = 0; r < n; r++) {
      const id = readProcessKey(contexts[r]!.processKey, scratch);
      ids[r * IDS_PER_ROW] = id.pid;
      ids[r * IDS_PER_ROW + 1] = id.start;
    }
  } else {
    for (let r = 0; r < n; r++) {
      const s = events[eventIndex[r]!]?.processStart;
      const p = s?.process;
      const parent = s?.parent;
      const o = r * IDS_PER_ROW;
      ids[o] = refPid(p);
      ids[o + 1] = refStart(p);
      ids[o + 2] = refPid(parent);
      ids[o + 3] = refStart(parent);
    }
  }
  return { sensorId, tenant, seq, events, eventIndex, network: contexts, warmingUp, ids };
}

/** Row `row` of a group as the tag a detection is built from (what the stage used to keep per row). */
export function rowTag(g: RowGroup, row: number): RowTag {
  const eventIndex = g.eventIndex[row]!;
  const ctx = g.network?.[row];
  if (!ctx) {
    const event = g.events[eventIndex];
    return { sensorId: g.sensorId, tenant: g.tenant, host: event?.host || g.sensorId, seq: g.seq, eventIndex, event, warmingUp: g.warmingUp };
  }
  const event = eventIndex >= 0 ? g.events[eventIndex] : undefined;
  // A window's context names its own tenant and host (the sensor id): drained rows have no batch.
  return { sensorId: ctx.host, tenant: ctx.tenant, host: event?.host || ctx.host, seq: g.seq, eventIndex: event ? eventIndex : -1, event, network: ctx, warmingUp: g.warmingUp };
}
