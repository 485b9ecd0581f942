/**
 * Training data from the engine's archive (`vigie model train --archive DIR`): every archived
 * batch, decoded, in archive order, as the engine received it. Each event's group is its sensor
 * and its tenant the sensor's (from the archive record, never from the batch's own claim).
 * Read without the archive's lock. Damaged records are reported and skipped by the archive reader; a batch that does not decode
 * is counted as malformed; reading goes on.
 */
import { fail, ok, type Result, type VigieProblem } from '../../common/errors.js';
// Not in engine/archive's index: it decodes batches (the wire schema), which the archive itself never needs.
import { archivedBatches } from '../../engine/archive/archived-batches.js';
import type { LabelledEvents } from './labelled-log.js';

const MAX_PROBLEMS = 20;

export async function readArchiveEvents(dir: string): Promise<Result<LabelledEvents>> {
  const out: LabelledEvents = { events: [], groups: [], tenants: [], files: [`archive:${dir}`], skipped: 0, malformed: 0, problems: [] };
  const problem = (p: VigieProblem): void => {
    out.malformed++;
    if (out.problems.length < MAX_PROBLEMS) out.problems.push(p);
  };
  // Read without the archive's lock: a running engine's archive can be trained on.
  const batches = await archivedBatches(dir, problem);
  if (!batches.ok) return fail('VIGIE_DATA_INVALID', `cannot open the archive at ${dir}: ${batches.error.message}`, { file: dir });
  for await (const { meta, events } of batches.value) {
    for (const e of events) {
      if (!e.processStart && !e.network && !e.dns && !e.processExit) {
        out.skipped++;
        continue;
      }
      out.events.push(e);
      out.groups.push(meta.sensorId);
      out.tenants!.push(meta.tenant);
    }
  }
  if (out.events.length === 0) return fail('VIGIE_DATA_INVALID', `no process, network or DNS event in the archive at ${dir}`, { file: dir });
  return ok(out);
}
