/**
 * Labelled events -> feature rows, as the engine would extract them (models/features, one
 * extractor, counters learned online in stream order), with what evaluation needs beside each row:
 * its group (recording), its label, and for network rows which events they summarise.
 *
 * Process rows: one per process start; label = the event's. Network rows: one per process per
 * window (models/features/network-window.ts); a row is malicious when any of its events is. Each
 * network or DNS event is mapped to the row of the window it fell in, so that models can be
 * evaluated per event (`eventRow`) though they score windows.
 */
import type { Event } from '../../common/events.js';
import { processKey } from '../../common/events.js';
import { FeatureBatch, FeatureExtractor, FeatureRows, NETWORK_WIDTH, PROCESS_WIDTH, REFS_PER_ROW, Ref } from '../features/index.js';
import type { FeatureExtractorOptions, NetworkRowContext } from '../features/index.js';
import type { LabelledEvents } from './labelled-log.js';

/** Tenant of recorded data (one log = one tenant). */
export const DATASET_TENANT = 'dataset';

export interface RowSet {
  readonly kind: 'process' | 'network';
  readonly width: number;
  /** n * width values, row-major. */
  readonly values: Float32Array;
  readonly n: number;
  readonly groups: readonly string[];
  readonly malicious: readonly boolean[];
  /** Process rows: the event index; network rows: -1. */
  readonly eventIndex: Int32Array;
  /** Per row, REFS_PER_ROW numbers as FeatureRows.refs (the process's and parent's slots and serials, for lineage), event index as eventIndex. */
  readonly refs: Float64Array;
}

export interface RowSets {
  process: RowSet;
  network: RowSet;
  networkContexts: readonly NetworkRowContext[];
  /** Per event: its network row (network and DNS events), else -1. */
  eventRow: Int32Array;
}

class Growing {
  values: Float32Array;
  refs: Float64Array;
  n = 0;
  groups: string[] = [];
  malicious: boolean[] = [];
  eventIndex: number[] = [];
  constructor(readonly width: number) {
    this.values = new Float32Array(width * 1024);
    this.refs = new Float64Array(REFS_PER_ROW * 1024);
  }
  push(row: Float32Array, refs: Float64Array, group: string, malicious: boolean, eventIndex: number): number {
    if ((this.n + 1) * this.width > this.values.length) {
      const grown = new Float32Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
      const grownRefs = new Float64Array(this.refs.length * 2);
      grownRefs.set(this.refs);
      this.refs = grownRefs;
    }
    this.values.set(row, this.n * this.width);
    this.refs.set(refs, this.n * REFS_PER_ROW);
    this.refs[this.n * REFS_PER_ROW + Ref.EVENT] = eventIndex;
    this.groups.push(group);
    this.malicious.push(malicious);
    this.eventIndex.push(eventIndex);
    return this.n++;
  }
  done(kind: 'process' | 'network'): RowSet {
    return {
      kind, width: this.width, values: this.values.slice(0, this.n * this.width), n: this.n,
      groups: this.groups, malicious: this.malicious, eventIndex: Int32Array.from(this.eventIndex),
      refs: this.refs.slice(0, this.n * REFS_PER_ROW),
    };
  }
}

const isMalicious = (e: Event): boolean => (e.label ?? '') !== '';
const refsOf = (rows: FeatureRows, r: number): Float64Array => rows.refs.subarray(r * REFS_PER_ROW, (r + 1) * REFS_PER_ROW);

/** Extracts every row of `data`, one event at a time in file order (as a Sysmon file is read). */
export function extractRowSets(data: LabelledEvents, options: FeatureExtractorOptions = {}): RowSets {
  const x = new FeatureExtractor(options);
  const out = new FeatureBatch(16);
  const proc = new Growing(PROCESS_WIDTH);
  const net = new Growing(NETWORK_WIDTH);
  const contexts: NetworkRowContext[] = [];
  const eventRow = new Int32Array(data.events.length).fill(-1);
  // Network and DNS events waiting for their window's row, by host and process.
  const pending = new Map<string, number[]>();
  const windowKey = (host: string, key: string): string => `${host}\u0000${key}`;

  const collect = (): void => {
    for (let r = 0; r < out.process.count; r++) {
      // extract() is called with one event: the row's eventIndex is 0, the event is `current`.
      proc.push(out.process.row(r), refsOf(out.process, r), data.groups[current]!, isMalicious(data.events[current]!), current);
    }
    for (let r = 0; r < out.network.count; r++) {
      const ctx = out.networkContexts[r]!;
      const k = windowKey(ctx.host, ctx.processKey);
      const members = pending.get(k) ?? [];
      pending.delete(k);
      const group = members.length > 0 ? data.groups[members[0]!]! : data.groups[current]!;
      const row = net.push(out.network.row(r), refsOf(out.network, r), group, members.some((i) => isMalicious(data.events[i]!)), -1);
      for (const i of members) eventRow[i] = row;
      contexts.push(ctx);
    }
    out.clear();
  };

  let current = 0;
  const one: Event[] = [];
  for (current = 0; current < data.events.length; current++) {
    const e = data.events[current]!;
    one[0] = e;
    const host = e.host ?? '';
    x.extract(data.tenants?.[current] ?? DATASET_TENANT, host, one, out);
    collect();
    const ref = e.network?.process ?? e.dns?.process;
    if (ref !== undefined) {
      const k = windowKey(host, processKey(ref));
      const members = pending.get(k);
      if (members) members.push(current);
      else pending.set(k, [current]);
    }
  }
  current = data.events.length - 1;
  x.drain(out);
  collect();
  return { process: proc.done('process'), network: net.done('network'), networkContexts: contexts, eventRow };
}
