/**
 * What a micro-batch's rows are about, one object per scoreRows() call and model kind, not one
 * per row: the batch's sensor, seq and events, and for network rows their windows' contexts (by
 * the row's index in the extracted rows, MicroBatch.rowIndex). A row's RowTag
 * (model-detection.ts) is built only when it becomes a detection.
 *
 * What each row needs while it is scored (its event's index, the identities lineage needs) is
 * not here: the extractor wrote it beside the row (FeatureRows.refs) and the micro-batcher copies
 * it with the row (MicroBatch.refs), so a group allocates no per-row arrays.
 *
 * A group holds its batch's events array until its last row is scored (at most maxDelayMs
 * unless the model is slower): never the batch itself, and no copy of the events.
 */
import type { Event } from '../../common/events.js';
import type { FeatureRows, NetworkRowContext } from '../../models/features/index.js';
import type { RowTag } from './model-detection.js';

export interface RowGroup {
  /** The batch's sensor id and tenant ('' for a periodic drain: network rows name their own). */
  readonly sensorId: string;
  readonly tenant: string;
  /** The batch's seq; -1 for a drain. */
  readonly seq: number;
  readonly events: readonly Event[];
  /** Network rows: per row, its window's context (a copy of the list, same objects). */
  readonly network: readonly NetworkRowContext[] | undefined;
  /** Extracted while the rarity counters were still warming up: no detection is raised. */
  readonly warmingUp: boolean;
}

/** The group of `rows` (process rows, or network rows with their contexts); copies what the extractor reuses. */
export function rowGroup(sensorId: string, tenant: string, seq: number, events: readonly Event[], rows: FeatureRows,
  network: readonly NetworkRowContext[] | undefined, warmingUp: boolean): RowGroup {
  return { sensorId, tenant, seq, events, network: network?.slice(0, rows.count), warmingUp };
}

/** Row `row` of a group, whose event is `eventIndex` (-1: none), as the tag a detection is built from. */
export function rowTag(g: RowGroup, row: number, eventIndex: number): RowTag {
  const ctx = g.network?.[row];
  if (!ctx) {
    const event = g.events[eventIndex];
    return { sensorId: g.sensorId, tenant: g.tenant, host: event?.host || g.sensorId, seq: g.seq, eventIndex, event, warmingUp: g.warmingUp };
  }
  const event = eventIndex >= 0 ? g.events[eventIndex] : undefined;
  // A window's context names its own tenant and host (the sensor id): drained rows have no batch.
  return { sensorId: ctx.host, tenant: ctx.tenant, host: event?.host || ctx.host, seq: g.seq, eventIndex: event ? eventIndex : -1, event, network: ctx, warmingUp: g.warmingUp };
}
