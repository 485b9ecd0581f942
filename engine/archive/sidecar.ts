/**
 * Small JSON files beside the segments:
 * - `seg-N.vgx`, the sidecar of a sealed segment: its counts and the dedup keys it holds, so that
 *   open() need not scan it. Only an optimisation: a missing, unreadable or stale sidecar (its
 *   recorded size differs from the segment's) means a scan.
 * - `dedup.json`, the checkpoint of the dedup index written by sweep() before it deletes segments,
 *   so that keys still above a sensor's low-water mark outlive the records that carried them.
 *   Not an optimisation: it is written durably (fsync, rename, fsync of the directory).
 */
import { open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeyDigest } from './dedup.js';
import { sidecarName } from './format.js';

export interface SegmentSummary {
  bytes: number;
  records: number;
  events: number;
  /** Oldest and newest receivedMs; -1 when the segment has no record. */
  oldestMs: number;
  newestMs: number;
  keys: KeyDigest;
}

export interface Checkpoint {
  /** The highest segment number ever used, so numbering never goes back after a sweep. */
  lastSegment: number;
  keys: KeyDigest;
}

export const CHECKPOINT_FILE = 'dedup.json';

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function isDigest(v: unknown): v is KeyDigest {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  for (const entry of Object.values(v as Record<string, unknown>)) {
    if (!Array.isArray(entry) || entry.length !== 2 || !isNum(entry[0]) || !Array.isArray(entry[1])) return false;
    if (!(entry[1] as unknown[]).every(isNum)) return false;
  }
  return true;
}

/** Writes `name` so that a reader sees either the old file or the whole new one. */
export async function writeJsonAtomic(dir: string, name: string, value: unknown, durable: boolean): Promise<void> {
  const tmp = join(dir, `${name}.tmp`);
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(JSON.stringify(value));
    if (durable) await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, join(dir, name));
  if (durable) await syncDir(dir);
}

export async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export async function writeSidecar(dir: string, segment: number, s: SegmentSummary): Promise<void> {
  // fsync the sidecar itself (cheap, once per sealed segment) but not the directory: losing a
  // sidecar costs a scan, never correctness.
  await writeJsonAtomic(dir, sidecarName(segment), { v: 1, segment, ...s }, false);
}

/** The sidecar of `segment` if it exists, parses and matches the segment's size. */
export async function readSidecar(dir: string, segment: number, bytes: number): Promise<SegmentSummary | undefined> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(join(dir, sidecarName(segment)), 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const o = raw as Record<string, unknown>;
  if (o['v'] !== 1 || o['segment'] !== segment || o['bytes'] !== bytes) return undefined;
  const { records, events, oldestMs, newestMs, keys } = o;
  if (!isNum(records) || !isNum(events) || !isNum(oldestMs) || !isNum(newestMs) || !isDigest(keys)) return undefined;
  return { bytes, records, events, oldestMs, newestMs, keys };
}

export async function removeSidecar(dir: string, segment: number): Promise<void> {
  await rm(join(dir, sidecarName(segment)), { force: true });
}

/** The checkpoint, undefined if there is none yet, or an error message if it is damaged. */
export async function readCheckpoint(dir: string): Promise<Checkpoint | undefined | string> {
  let text: string;
  try {
    text = await readFile(join(dir, CHECKPOINT_FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return `cannot read: ${(e as Error).message}`;
  }
  try {
    const o = JSON.parse(text) as Record<string, unknown>;
    if (o['v'] === 1 && isNum(o['lastSegment']) && isDigest(o['keys'])) {
      return { lastSegment: o['lastSegment'], keys: o['keys'] };
    }
  } catch {
    // fall through
  }
  return 'not a version 1 dedup checkpoint';
}

export async function writeCheckpoint(dir: string, c: Checkpoint): Promise<void> {
  await writeJsonAtomic(dir, CHECKPOINT_FILE, { v: 1, ...c }, true);
}
