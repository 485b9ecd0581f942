/**
 * What a micro-batch's rows are about, one object per scoreRows() call and model kind, not one
 * per row: the batch's sensor and seq, each row's event (by the row's index in the extracted
 * rows, MicroBatch.rowIndex), and for network rows their windows' contexts. A row's RowTag
 * (model-detection.ts) is built only when it becomes a detection.
 *
 * What each row needs while it is scored (its event's index, the identities lineage needs) is
 * not here: the extractor wrote it beside the row (FeatureRows.refs) and the micro-batcher copies
 * it with the row (MicroBatch.refs), so a group allocates no per-row typed arrays.
 *
 * A group holds only its rows' events (a process start, the event that closed a window) until
 * its last row is scored (at most maxDelayMs unless the model is slower): never the batch, nor
 * the rest of its events. Holding the whole batch's events kept about five times as many objects
 * alive across the young generation's collections: with each batch decoded just before the
 * stage, as in the engine, end to end measured 111,000-127,000 rows/s holding them all against
 * 131,000-153,000 holding the rows' events only (four alternating runs of each; bench/score.ts
 * header).
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
  /** Per row: its event (undefined for a window that no event of the batch closed). */
  readonly events: readonly (Event | undefined)[];
  /** Network rows: per row, its window's context (a copy of the list, same objects). */
  readonly network: readonly NetworkRowContext[] | undefined;
  /** Extracted while the rarity counters were still warming up: no detection is raised. */
  readonly warmingUp: boolean;
}

/** The group of `rows` (process rows, or network rows with their contexts); copies what the extractor reuses. */
export function rowGroup(sensorId: string, tenant: string, seq: number, events: readonly Event[], rows: FeatureRows,
  network: readonly NetworkRowContext[] | undefined, warmingUp: boolean): RowGroup {
  // Sized once, not grown by push (a quarter of the time for a group of 80 rows).
  const rowEvents = new Array<Event | undefined>(rows.count);
  for (let r = 0; r < rows.count; r++) {
    const k = rows.eventIndex[r]!;
    rowEvents[r] = k >= 0 ? events[k] : undefined;
  }
  return { sensorId, tenant, seq, events: rowEvents, network: network?.slice(0, rows.count), warmingUp };
}

/** Row `row` of a group, whose event is `eventIndex` in its batch (-1: none), as the tag a detection is built from. */
export function rowTag(g: RowGroup, row: number, eventIndex: number): RowTag {
  const ctx = g.network?.[row];
  const event = g.events[row]; // undefined when eventIndex is -1 (rowGroup kept none)
  if (!ctx) {
    return { sensorId: g.sensorId, tenant: g.tenant, host: event?.host || g.sensorId, seq: g.seq, eventIndex, event, warmingUp: g.warmingUp };
  }
  // A window's context names its own tenant and host (the sensor id): drained rows have no batch.
  return { sensorId: ctx.host, tenant: ctx.tenant, host: event?.host || ctx.host, seq: g.seq, eventIndex: event ? eventIndex : -1, event, network: ctx, warmingUp: g.warmingUp };
}
