/**
 * The "archived exactly once" index: which (sensorId, seq) keys are already in the archive.
 *
 * The rule, exact and bounded:
 *   a batch is a duplicate  iff  seq < lowWater(sensor)  or  seq is in archived(sensor)
 * where lowWater(sensor) is the highest `firstUnackedSeq` among the sensor's archived batches
 * (clamped to each batch's own seq, so a batch never vouches for itself being old), and
 * archived(sensor) holds the seqs of its archived batches at or above that mark. The sensor
 * promises never to send a seq below its firstUnackedSeq again, so seqs below the mark can be
 * forgotten: the set holds only the sensor's unacked window, whatever the retention.
 *
 * Only durable records feed the index (markDurable is called after fdatasync), so the in-memory
 * state is exactly what a recovery scan of the disk rebuilds. Writes in flight are tracked
 * separately as pending so that a re-send arriving mid-write is recognised too.
 *
 * A sensor's seqs must be monotonic over its whole life: a sensor that loses its seq counter must
 * come back under a new sensor id, or everything it sends below its old mark is dropped as a
 * duplicate.
 */

/** Per-sensor digest as stored in sidecars and the checkpoint: [lowWater, seqs >= lowWater]. */
export type KeyDigest = Record<string, [number, number[]]>;

interface SensorKeys<P> {
  lowWater: number;
  seqs: Set<number>;
  /** Prune seqs below lowWater once the set reaches this size (amortised O(1) per append). */
  pruneAt: number;
  pending: Map<number, P>;
}

const MIN_PRUNE = 64;

/** The watermark a batch contributes: its firstUnackedSeq, never above its own seq. */
export function markOf(seq: number, firstUnackedSeq: number): number {
  return Math.min(seq, firstUnackedSeq);
}

export class DedupIndex<P> {
  private readonly sensors = new Map<string, SensorKeys<P>>();

  /** 'new', 'durable', or the pending write of the same key. */
  lookup(sensorId: string, seq: number): 'new' | 'durable' | { pending: P } {
    const s = this.sensors.get(sensorId);
    if (!s) return 'new';
    if (seq < s.lowWater || s.seqs.has(seq)) return 'durable';
    const p = s.pending.get(seq);
    return p === undefined ? 'new' : { pending: p };
  }

  isDuplicate(sensorId: string, seq: number): boolean {
    return this.lookup(sensorId, seq) !== 'new';
  }

  addPending(sensorId: string, seq: number, write: P): void {
    this.state(sensorId).pending.set(seq, write);
  }

  /** A write failed: forget it so a re-send can be stored. */
  releasePending(sensorId: string, seq: number): void {
    const s = this.sensors.get(sensorId);
    if (!s) return;
    s.pending.delete(seq);
    if (s.pending.size === 0 && s.seqs.size === 0 && s.lowWater === 0) this.sensors.delete(sensorId);
  }

  /** A record is durable on disk: it is now archived. */
  markDurable(sensorId: string, seq: number, mark: number): void {
    const s = this.state(sensorId);
    s.pending.delete(seq);
    if (seq >= s.lowWater) s.seqs.add(seq);
    this.raise(s, mark);
  }

  /** Folds in a digest read from disk (a sidecar, a scan or the checkpoint). Idempotent. */
  merge(digest: KeyDigest): void {
    for (const [sensorId, [mark, seqs]] of Object.entries(digest)) {
      const s = this.state(sensorId);
      for (const seq of seqs) if (seq >= s.lowWater) s.seqs.add(seq);
      this.raise(s, mark);
    }
  }

  /** The durable state (pending writes excluded), pruned, for the checkpoint. */
  digest(): KeyDigest {
    const out: KeyDigest = {};
    for (const [sensorId, s] of this.sensors) {
      prune(s);
      if (s.lowWater === 0 && s.seqs.size === 0) continue;
      out[sensorId] = [s.lowWater, [...s.seqs].sort((a, b) => a - b)];
    }
    return out;
  }

  size(): { sensors: number; keys: number } {
    let keys = 0;
    for (const s of this.sensors.values()) keys += s.seqs.size;
    return { sensors: this.sensors.size, keys };
  }

  private state(sensorId: string): SensorKeys<P> {
    let s = this.sensors.get(sensorId);
    if (!s) {
      s = { lowWater: 0, seqs: new Set(), pruneAt: MIN_PRUNE, pending: new Map() };
      this.sensors.set(sensorId, s);
    }
    return s;
  }

  private raise(s: SensorKeys<P>, mark: number): void {
    if (mark > s.lowWater) s.lowWater = mark;
    if (s.seqs.size >= s.pruneAt) prune(s);
  }
}

function prune<P>(s: SensorKeys<P>): void {
  for (const seq of s.seqs) if (seq < s.lowWater) s.seqs.delete(seq);
  s.pruneAt = Math.max(MIN_PRUNE, s.seqs.size * 2);
}

/** The keys of one segment, gathered while it is written or scanned, for its sidecar. */
export class SegmentKeys {
  private readonly sensors = new Map<string, { mark: number; seqs: number[] }>();

  add(sensorId: string, seq: number, mark: number): void {
    const s = this.sensors.get(sensorId);
    if (!s) this.sensors.set(sensorId, { mark, seqs: [seq] });
    else {
      s.seqs.push(seq);
      if (mark > s.mark) s.mark = mark;
    }
  }

  /** Seqs below the segment's own mark are below the global one too: leave them out. */
  digest(): KeyDigest {
    const out: KeyDigest = {};
    for (const [sensorId, s] of this.sensors) out[sensorId] = [s.mark, s.seqs.filter((q) => q >= s.mark)];
    return out;
  }
}
