/**
 * Lineage scores over extracted row sets (models/dataset/row-sets.ts), for calibration and
 * evaluation: the same LineageScores the engine runs, fed in stream order, with the slots and
 * serials the extractor wrote beside each row. A process's lineage score depends only on its
 * ancestors, so it is final when the process starts; a network window takes its process's.
 */
import { REFS_PER_ROW, Ref } from '../features/index.js';
import type { RowSet } from '../dataset/row-sets.js';
import { LineageScores } from './lineage.js';

export interface RowLineage {
  /** Per process row: the lineage score (same units as `own`). */
  process: Float64Array;
  /** Per process serial (unique per extracted process start): its lineage score. */
  bySerial: Map<number, number>;
}

/** `own`: per process row, in row (= stream) order. */
export function processRowLineage(set: RowSet, own: ArrayLike<number>, decay: number): RowLineage {
  const lineage = new LineageScores({ decay });
  const out = new Float64Array(set.n);
  const bySerial = new Map<number, number>();
  const refs = set.refs;
  for (let r = 0; r < set.n; r++) {
    const o = r * REFS_PER_ROW;
    out[r] = lineage.processOf(refs[o + Ref.SLOT]!, refs[o + Ref.SERIAL]!, refs[o + Ref.PARENT_SLOT]!, refs[o + Ref.PARENT_SERIAL]!, own[r]!);
    bySerial.set(refs[o + Ref.SERIAL]!, out[r]!);
  }
  return { process: out, bySerial };
}

/**
 * Per network row: max(own, decay * its process's lineage score). `processLineage` must be in
 * the network model's units already (relative scores when models differ). The process's score is
 * its final one, as the engine's is when the window's row (which closes after the process
 * started) is scored.
 */
export function networkRowLineage(set: RowSet, own: ArrayLike<number>, processLineage: RowLineage, decay: number): Float64Array {
  const out = new Float64Array(set.n);
  for (let r = 0; r < set.n; r++) {
    const serial = set.refs[r * REFS_PER_ROW + Ref.SERIAL]!;
    const inherited = serial >= 0 ? decay * (processLineage.bySerial.get(serial) ?? 0) : 0;
    out[r] = Math.max(own[r]!, inherited);
  }
  return out;
}
