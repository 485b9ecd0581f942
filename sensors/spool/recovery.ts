/**
 * Rebuilds a spool's index from its directory at open: the state file says what was settled and
 * how many records were unsettled when it was written; the segment files say what is really there.
 *
 * Let W be the last state write and S its nextSeq. A record on disk with seq >= S was appended
 * after W, so it is counted as appended now. A record with seq < S was known at W: it is settled
 * if W says so, otherwise it is one of W's unsettled records. Any of W's unsettled records that is
 * not found intact (torn tail, bad CRC, a segment file gone) is counted as dropped: that keeps
 * appended = acked + dropped + unacked true without having to name each lost record.
 * Acks made after W are forgotten: those records come back unacked, and the counters, read from W,
 * agree. They are re-sent and the engine deduplicates them by seq.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fail, ok, type Result } from '../../common/errors.js';
import { parseSegmentName } from './record.js';
import { scanSegment, unlinkQuiet } from './segment-file.js';
import { SegmentIndex, type SettledRange } from './segment-index.js';
import { readState } from './state-file.js';
import { zeroCounters, type SpoolCounters } from './types.js';

export interface Recovered {
  segments: SegmentIndex[];
  nextSeq: number;
  reservedSeq: number;
  counters: SpoolCounters;
  /** A spool already lived in this directory. */
  existed: boolean;
  /** What recovery found damaged, for the caller's log (already counted). */
  damage: string[];
}

export function recover(dir: string): Result<Recovered> {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    return fail('VIGIE_SPOOL_IO', `cannot create the spool directory: ${(e as Error).message}`, { file: dir });
  }
  const read = readState(dir);
  if (!read.ok) return read;
  const state = read.value;
  const files = listSegments(dir);
  if (!files.ok) return files;
  if (state === null && files.value.length > 0) {
    // Without the state file the highest seq ever used is unknown (acked segments are gone), and
    // guessing low would make the engine drop new batches as duplicates. An operator decides.
    return fail('VIGIE_SPOOL_CORRUPT', 'segment files but no spool.json: refusing to guess the next seq', { file: dir });
  }
  const S = state?.nextSeq ?? 1;
  const counters = state ? { ...state.counters } : zeroCounters();
  const listed = new Map<number, SettledRange[]>((state?.segments ?? []).map((g) => [g.first, g.settled]));
  const segments: SegmentIndex[] = [];
  const damage: string[] = [];
  let foundBatches = 0;
  let foundEvents = 0;
  let endSeq = 1;

  for (const { first, name } of files.value) {
    const file = path.join(dir, name);
    const ranges = listed.get(first);
    if (ranges === undefined && first < S) {
      unlinkQuiet(file); // its deletion was interrupted: W already forgot it
      continue;
    }
    const seg = new SegmentIndex(first, name);
    let r = 0;
    const scan = scanSegment(file, first, (seq, events, length) => {
      let settled = false;
      if (seq >= S) {
        counters.appendedBatches += 1;
        counters.appendedEvents += events;
      } else {
        while (ranges !== undefined && r < ranges.length && ranges[r]![1] < seq) r += 1;
        settled = ranges !== undefined && r < ranges.length && ranges[r]![0] <= seq;
        if (!settled) {
          foundBatches += 1;
          foundEvents += events;
        }
      }
      seg.add(events, length, settled);
    });
    if (!scan.ok) return scan;
    if (scan.value.damage !== undefined) {
      counters.corruptRecords += 1;
      damage.push(`${name}: ${scan.value.damage}`);
      if (seg.count > 0) {
        try {
          fs.truncateSync(file, scan.value.validBytes);
        } catch (e) {
          return fail('VIGIE_SPOOL_IO', `cannot truncate a damaged segment: ${(e as Error).message}`, { file, offset: scan.value.validBytes });
        }
      }
    }
    if (seg.count > 0) endSeq = Math.max(endSeq, seg.endSeq);
    // Nothing left to send: no need to keep it. Its records were settled at W, so deleting it
    // before the next state write loses nothing whatever happens next.
    if (seg.unackedBatches === 0) unlinkQuiet(file);
    else segments.push(seg);
  }

  const lostBatches = (state?.unackedBatches ?? 0) - foundBatches;
  const lostEvents = (state?.unackedEvents ?? 0) - foundEvents;
  // Negative means records W did not know of with seq < S: impossible unless the state file was
  // edited by hand. Counting them as appended keeps the identity true rather than hiding them.
  if (lostBatches >= 0) counters.droppedBatches += lostBatches;
  else counters.appendedBatches -= lostBatches;
  if (lostEvents >= 0) counters.droppedEvents += lostEvents;
  else counters.appendedEvents -= lostEvents;
  if (state) counters.restarts += 1;

  const reservedSeq = state?.reservedSeq ?? 1;
  return ok({
    segments,
    nextSeq: Math.max(S, reservedSeq, endSeq),
    reservedSeq,
    counters,
    existed: state !== null,
    damage,
  });
}

function listSegments(dir: string): Result<Array<{ first: number; name: string }>> {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (e) {
    return fail('VIGIE_SPOOL_IO', `cannot list the spool directory: ${(e as Error).message}`, { file: dir });
  }
  const out: Array<{ first: number; name: string }> = [];
  for (const name of names) {
    const first = parseSegmentName(name);
    if (first !== undefined) out.push({ first, name });
  }
  return ok(out.sort((a, b) => a.first - b.first));
}
