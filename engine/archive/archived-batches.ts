/**
 * Every batch of the archive in `dir`, decoded, read without the archive's lock (ArchiveReader),
 * so that training and pre-release validation can read a running engine's archive. Damaged
 * records and batches that do not decode go to `onProblem` (with the sensor) and are skipped.
 */
import type { Result, VigieProblem } from '../../common/errors.js';
import { ok } from '../../common/errors.js';
import type { Event } from '../../common/events.js';
import { decodeBatch } from '../../common/wire/frames.js';
import { ArchiveReader } from './read-only.js';
import type { BatchMeta } from './types.js';

export interface ArchivedBatch {
  meta: BatchMeta;
  events: Event[];
}

export async function archivedBatches(dir: string, onProblem: (p: VigieProblem) => void): Promise<Result<AsyncGenerator<ArchivedBatch>>> {
  const reader = await ArchiveReader.open(dir);
  if (!reader.ok) return reader;
  return ok(decodeAll(reader.value, onProblem));
}

async function* decodeAll(reader: ArchiveReader, onProblem: (p: VigieProblem) => void): AsyncGenerator<ArchivedBatch> {
  for await (const { meta, payload } of reader.window({ fromMs: -Infinity, toMs: Infinity }, onProblem)) {
    const batch = decodeBatch(payload);
    if (!batch.ok) {
      onProblem({ ...batch.error, location: { ...batch.error.location, sensor: meta.sensorId } });
      continue;
    }
    yield { meta, events: batch.value.events as Event[] };
  }
}
