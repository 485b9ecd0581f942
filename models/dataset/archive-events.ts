/**
 * Training data from the engine's archive (`vigie model train --archive DIR`): every archived
 * batch, decoded, in archive order, as the engine received it. Each event's group is its sensor
 * and its tenant the sensor's (from the archive record, never from the batch's own claim).
 * Damaged records are reported and skipped by the archive reader; a batch that does not decode
 * is counted as malformed; reading goes on.
 */
import { fail, ok, type Result, type VigieProblem } from '../../common/errors.js';
import type { Event } from '../../common/events.js';
import { decodeBatch } from '../../common/wire/frames.js';
import { Archive } from '../../engine/archive/index.js';
import type { LabelledEvents } from './labelled-log.js';

const MAX_PROBLEMS = 20;

export async function readArchiveEvents(dir: string): Promise<Result<LabelledEvents>> {
  const opened = await Archive.open({ dir });
  if (!opened.ok) return fail('VIGIE_DATA_INVALID', `cannot open the archive at ${dir}: ${opened.error.message}`, { file: dir });
  const archive = opened.value;
  const out: LabelledEvents = { events: [], groups: [], tenants: [], files: [`archive:${dir}`], skipped: 0, malformed: 0, problems: [] };
  const problem = (p: VigieProblem): void => {
    out.malformed++;
    if (out.problems.length < MAX_PROBLEMS) out.problems.push(p);
  };
  try {
    for await (const { meta, payload } of archive.records(problem)) {
      const batch = decodeBatch(payload);
      if (!batch.ok) {
        problem({ ...batch.error, location: { ...batch.error.location, sensor: meta.sensorId } });
        continue;
      }
      for (const e of batch.value.events as Event[]) {
        if (!e.processStart && !e.network && !e.dns && !e.processExit) {
          out.skipped++;
          continue;
        }
        out.events.push(e);
        out.groups.push(meta.sensorId);
        out.tenants!.push(meta.tenant);
      }
    }
  } finally {
    await archive.close();
  }
  if (out.events.length === 0) return fail('VIGIE_DATA_INVALID', `no process, network or DNS event in the archive at ${dir}`, { file: dir });
  return ok(out);
}
