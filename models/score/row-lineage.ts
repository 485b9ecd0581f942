/**
 * Lineage scores over extracted row sets (models/dataset/row-sets.ts), for calibration and
 * evaluation: the same LineageScores the engine runs, fed in stream order. A process's lineage
 * score depends only on its ancestors, so it is final when the process starts; a network window
 * takes its process's.
 */
import type { Event } from '../../common/events.js';
import { processKey } from '../../common/events.js';
import { refPid, refStart } from '../features/process-map.js';
import type { NetworkRowContext } from '../features/index.js';
import type { RowSet } from '../dataset/row-sets.js';
import { LineageScores } from './lineage.js';

export interface RowLineage {
  /** Per process row: the lineage score (same units as `own`). */
  process: Float64Array;
  /** Per process row: the process key, and its host, for network lookups. */
  keys: string[];
}

/** `own`: per process row, in row (= stream) order. */
export function processRowLineage(set: RowSet, events: readonly Event[], own: ArrayLike<number>, decay: number): RowLineage {
  const lineage = new LineageScores({ decay, maxProcessesPerHost: 1 << 20 });
  const out = new Float64Array(set.n);
  const keys: string[] = [];
  for (let r = 0; r < set.n; r++) {
    const e = events[set.eventIndex[r]!]!;
    const s = e.processStart ?? {};
    const host = e.host ?? '';
    out[r] = lineage.processOf(host, refPid(s.process), refStart(s.process), refPid(s.parent), refStart(s.parent), own[r]!);
    keys.push(`${host}\u0000${processKey(s.process)}`);
  }
  return { process: out, keys };
}

/**
 * Per network row: max(own, decay * its process's lineage score). `processLineage` must be in
 * the network model's units already (relative scores when models differ).
 */
export function networkRowLineage(contexts: readonly NetworkRowContext[], own: ArrayLike<number>, processLineage: RowLineage, decay: number): Float64Array {
  const byKey = new Map<string, number>();
  processLineage.keys.forEach((k, r) => byKey.set(k, processLineage.process[r]!));
  const out = new Float64Array(contexts.length);
  contexts.forEach((c, r) => {
    const inherited = decay * (byKey.get(`${c.host}\u0000${c.processKey}`) ?? 0);
    out[r] = Math.max(own[r]!, inherited);
  });
  return out;
}
