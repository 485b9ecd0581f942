/**
 * Output buffers: rows of one layout in one preallocated Float32Array, with the index of the
 * event each row belongs to. Reused across calls (clear() keeps the memory); a buffer that fills
 * up doubles once and keeps its new size, so steady state allocates nothing.
 */
import type { NetworkRowContext } from './context.js';
import { NETWORK_WIDTH } from './network-features.js';
import { PROCESS_WIDTH } from './process-features.js';

/** Numbers per row in FeatureRows.refs, at these offsets. */
export const REFS_PER_ROW = 5;
export const Ref = { EVENT: 0, SLOT: 1, SERIAL: 2, PARENT_SLOT: 3, PARENT_SERIAL: 4 } as const;

export class FeatureRows {
  values: Float32Array;
  /** Index, in the events passed to extract(), of the event each row belongs to (-1: none, see FeatureBatch). */
  eventIndex: Int32Array;
  /**
   * Per row, REFS_PER_ROW numbers (offsets in Ref): its event index (as eventIndex), the
   * process's slot and serial (process-slots.ts) and (process rows) its parent's, -1 when the
   * extractor does not remember the process; network rows: the window's process, parent -1.
   * Written by the extractor, which has the process in hand, so that lineage (the score stage)
   * finds a process's entry by index, with neither the event nor a key; one array, so that the
   * score stage copies them with the rows.
   */
  refs: Float64Array;
  count = 0;

  constructor(readonly width: number, capacity = 1024) {
    this.values = new Float32Array(width * Math.max(1, capacity));
    this.eventIndex = new Int32Array(Math.max(1, capacity));
    this.refs = new Float64Array(Math.max(1, capacity) * REFS_PER_ROW);
  }

  get capacity(): number {
    return this.eventIndex.length;
  }

  /** Appends a zeroed row for event `eventIndex`; returns its offset in `values`. */
  next(eventIndex: number): number {
    if (this.count === this.eventIndex.length) this.grow();
    const o = this.count * this.width;
    this.values.fill(0, o, o + this.width);
    this.refs.fill(0, this.count * REFS_PER_ROW, (this.count + 1) * REFS_PER_ROW);
    this.refs[this.count * REFS_PER_ROW] = eventIndex;
    this.eventIndex[this.count++] = eventIndex;
    return o;
  }

  /** Sets the process slots and serials of the last row appended by next() (-1: not remembered). */
  identify(slot: number, serial: number, parentSlot: number, parentSerial: number): void {
    const o = (this.count - 1) * REFS_PER_ROW;
    const refs = this.refs;
    refs[o + Ref.SLOT] = slot;
    refs[o + Ref.SERIAL] = serial;
    refs[o + Ref.PARENT_SLOT] = parentSlot;
    refs[o + Ref.PARENT_SERIAL] = parentSerial;
  }

  /** Row i as a view (no copy). */
  row(i: number): Float32Array {
    return this.values.subarray(i * this.width, (i + 1) * this.width);
  }

  /** The filled rows as a view (no copy): what goes to a model's run(). */
  filled(): Float32Array {
    return this.values.subarray(0, this.count * this.width);
  }

  clear(): void {
    this.count = 0;
  }

  private grow(): void {
    const values = new Float32Array(this.values.length * 2);
    values.set(this.values);
    const index = new Int32Array(this.eventIndex.length * 2);
    index.set(this.eventIndex);
    const refs = new Float64Array(this.refs.length * 2);
    refs.set(this.refs);
    this.values = values;
    this.eventIndex = index;
    this.refs = refs;
  }
}

/**
 * What one extract() call produced. Process rows: one per process-start event (eventIndex is the
 * start). Network rows: one per closed window, eventIndex the event of this call that closed it
 * (the process's next event after the window, or its exit), -1 when a sweep or drain closed it;
 * networkContexts[i] describes network row i (host, process, peers) for explanations.
 */
export class FeatureBatch {
  readonly process: FeatureRows;
  readonly network: FeatureRows;
  readonly networkContexts: NetworkRowContext[] = [];

  constructor(capacity = 1024) {
    this.process = new FeatureRows(PROCESS_WIDTH, capacity);
    this.network = new FeatureRows(NETWORK_WIDTH, Math.max(16, capacity >> 2));
  }

  clear(): void {
    this.process.clear();
    this.network.clear();
    this.networkContexts.length = 0;
  }
}
