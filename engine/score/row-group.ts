/**
 * What a micro-batch's rows are about, one object per scoreRows() call and model kind, not one
 * per row: the batch's sensor, seq and events, and per row (by its index in the extracted rows,
 * MicroBatch.rowIndex) the index of its event and, for network rows, its window's context. A
 * row's RowTag (model-detection.ts) is built only when it becomes a detection.
 *
 * The group also carries, per row, the identities lineage needs (pid and start time of the
 * process, and of its parent for process rows): a copy of what the extractor wrote beside the
 * rows (FeatureRows.ids) while it had the event in hand. Reading them from the events here
 * instead cost several cache misses per row (more than the lineage lookup itself).
 *
 * A group holds its batch's events array until its last row is scored (at most maxDelayMs
 * unless the model is slower): never the batch itself, and no copy of the events.
 */
import type { Event } from '../../common/events.js';
import { IDS_PER_ROW, type FeatureRows, type NetworkRowContext } from '../../models/features/index.js';
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
   * Per row, IDS_PER_ROW numbers (a copy of FeatureRows.ids): the process's pid and start time,
   * then (process rows) its parent's, as processKey() reads them (0 when absent).
   */
  readonly ids: Float64Array;
}

export { IDS_PER_ROW };

/** The group of `rows` (process rows, or network rows with their contexts); copies what the extractor reuses. */
export function rowGroup(sensorId: string, tenant: string, seq: number, events: readonly Event[], rows: FeatureRows,
  network: readonly NetworkRowContext[] | undefined, warmingUp: boolean): RowGroup {
  const n = rows.count;
  const eventIndex = rows.eventIndex.slice(0, n);
  const ids = rows.ids.slice(0, n * IDS_PER_ROW);
  const contexts = network?.slice(0, n);
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
