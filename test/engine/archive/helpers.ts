/** Shared helpers of the archive tests: temp dirs, metadata and payload factories. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Archive } from '../../../engine/archive/index.js';
import type { ArchiveOptions, ArchiveRecord, BatchMeta } from '../../../engine/archive/index.js';

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'vigie-archive-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function openArchive(options: ArchiveOptions): Promise<Archive> {
  const r = await Archive.open(options);
  if (!r.ok) throw new Error(`open failed: ${r.error.code} ${r.error.message}`);
  return r.value;
}

export function meta(sensorId: string, seq: number, over: Partial<BatchMeta> = {}): BatchMeta {
  return { sensorId, tenant: 'town-a', seq, firstUnackedSeq: 0, events: 10, receivedMs: 1_700_000_000_000 + seq, ...over };
}

/** Deterministic bytes for (sensor, seq): half pseudo-random, half repetitive, like a protobuf batch. */
export function payload(sensorId: string, seq: number, size = 4096): Uint8Array {
  const out = new Uint8Array(size);
  let x = (seq * 2654435761) ^ sensorId.length ^ (sensorId.charCodeAt(0) << 8) || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = i % 8 < 4 ? x & 0xff : 0x61 + (i % 23);
  }
  return out;
}

export async function readAll(archive: Archive): Promise<ArchiveRecord[]> {
  const out: ArchiveRecord[] = [];
  for await (const r of archive.records()) out.push(r);
  return out;
}
