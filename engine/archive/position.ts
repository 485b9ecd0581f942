/**
 * Where a record lies in the archive. Segment numbers only grow and records are appended in
 * order, so positions order records in archive order: (segment, offset), compared in that order.
 */

/** A record's segment number and byte offset within that segment. */
export interface RecordPosition {
  segment: number;
  offset: number;
}

/** A durable record's position and the offset just after it (where the next record of its segment starts). */
export interface RecordSpan extends RecordPosition {
  end: number;
}

/** Negative when a comes before b, 0 when equal, positive after. */
export function comparePositions(a: RecordPosition, b: RecordPosition): number {
  return a.segment !== b.segment ? a.segment - b.segment : a.offset - b.offset;
}

/** The position just after a record. */
export const after = (s: RecordSpan): RecordPosition => ({ segment: s.segment, offset: s.end });

/** A position read from a file: two non-negative safe integers. */
export function isPosition(v: unknown): v is RecordPosition {
  const p = v as Partial<RecordPosition> | null;
  return typeof p === 'object' && p !== null && Number.isSafeInteger(p.segment) && Number.isSafeInteger(p.offset) && p.segment! >= 0 && p.offset! >= 0;
}
