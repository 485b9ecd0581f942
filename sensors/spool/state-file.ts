/**
 * spool.json: what the segment files alone cannot say. Written whole, atomically (temp file,
 * fdatasync, rename), so a reader sees either the previous state or the new one, never a mix.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fail, ok, type Result } from '../../common/errors.js';
import type { SettledRange } from './segment-index.js';
import { zeroCounters, type SpoolCounters } from './types.js';

export const STATE_FILE = 'spool.json';
const TEMP_FILE = 'spool.json.tmp';
const FORMAT = 'vigie-spool-state';
const VERSION = 1;

export interface SpoolState {
  /** The seq the next append would have used when this state was written. */
  nextSeq: number;
  /** Every seq ever handed out is below this (see the reservation comment in spool.ts). */
  reservedSeq: number;
  /** Unsettled records at the time of writing, all in the listed segments. */
  unackedBatches: number;
  unackedEvents: number;
  counters: SpoolCounters;
  /** The live segments and which of their records were settled (acked or dropped). */
  segments: Array<{ first: number; settled: SettledRange[] }>;
}

export function writeState(dir: string, state: SpoolState, durableName: boolean): void {
  const tmp = path.join(dir, TEMP_FILE);
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeFileSync(fd, JSON.stringify({ format: FORMAT, version: VERSION, ...state }));
    // Always: the content must be on disk before the name points at it, or a power cut can leave
    // an empty spool.json, and a spool that cannot read its nextSeq must refuse to open.
    fs.fdatasyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, path.join(dir, STATE_FILE));
  if (durableName) syncDir(dir);
}

export function syncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** The state in `dir`, or null when there is none (a new spool). */
export function readState(dir: string): Result<SpoolState | null> {
  const file = path.join(dir, STATE_FILE);
  fs.rmSync(path.join(dir, TEMP_FILE), { force: true });
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return ok(null);
    return fail('VIGIE_SPOOL_IO', `cannot read the spool state: ${(e as Error).message}`, { file });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return fail('VIGIE_SPOOL_CORRUPT', 'the spool state is not valid JSON', { file });
  }
  const problems = stateProblems(raw);
  if (problems.length > 0) return fail('VIGIE_SPOOL_CORRUPT', `the spool state is invalid: ${problems.join('; ')}`, { file });
  const s = raw as SpoolState;
  return ok({
    nextSeq: s.nextSeq,
    reservedSeq: s.reservedSeq,
    unackedBatches: s.unackedBatches,
    unackedEvents: s.unackedEvents,
    counters: { ...zeroCounters(), ...s.counters },
    segments: s.segments.map((g) => ({ first: g.first, settled: g.settled })),
  });
}

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/** Every problem with a parsed state file, empty when it can be used. */
export function stateProblems(raw: unknown): string[] {
  if (typeof raw !== 'object' || raw === null) return ['not an object'];
  const s = raw as Record<string, unknown>;
  const out: string[] = [];
  if (s['format'] !== FORMAT) out.push(`format is not "${FORMAT}"`);
  if (s['version'] !== VERSION) out.push(`unknown version ${String(s['version'])}`);
  for (const k of ['nextSeq', 'reservedSeq', 'unackedBatches', 'unackedEvents']) {
    if (!isCount(s[k])) out.push(`${k} is not a non-negative integer`);
  }
  if (isCount(s['nextSeq']) && isCount(s['reservedSeq']) && s['reservedSeq'] < s['nextSeq']) out.push('reservedSeq is below nextSeq');
  const c = s['counters'];
  if (typeof c !== 'object' || c === null) out.push('counters is not an object');
  else {
    for (const k of Object.keys(zeroCounters())) {
      if (!isCount((c as Record<string, unknown>)[k])) out.push(`counters.${k} is not a non-negative integer`);
    }
  }
  const segs = s['segments'];
  if (!Array.isArray(segs)) out.push('segments is not a list');
  else {
    segs.forEach((g: unknown, i) => {
      const seg = g as Record<string, unknown> | null;
      if (typeof seg !== 'object' || seg === null || !isCount(seg['first'])) out.push(`segments[${i}].first is not a seq`);
      else if (!Array.isArray(seg['settled']) || !seg['settled'].every((r: unknown) => Array.isArray(r) && r.length === 2 && isCount(r[0]) && isCount(r[1]) && r[0] <= r[1])) {
        out.push(`segments[${i}].settled is not a list of [first, last] seq ranges`);
      }
    });
  }
  return out;
}
