/**
 * Reads a whole archive and accounts for it per sensor: batches, events, and any seq stored more
 * than once (which must never happen). Used by `vigie archive verify`, tests and benchmarks.
 */
import { unwrap, type VigieProblem } from '../common/errors.js';
import { decodeBatch } from '../common/wire/frames.js';
import { Archive } from './archive/index.js';

export interface SensorSummary {
  batches: number;
  events: number;
  duplicateSeqs: number[];
  seqs: Set<number>;
  /** Events per label (simulated and recorded data carry ground truth; '' is benign). */
  labels: Map<string, number>;
}

export interface ArchiveSummary {
  sensors: Map<string, SensorSummary>;
  batches: number;
  events: number;
  undecodable: number;
  problems: VigieProblem[];
}

export async function summarizeArchive(dir: string, options: { decode?: boolean } = {}): Promise<ArchiveSummary> {
  const archive = unwrap(await Archive.open({ dir }));
  const summary: ArchiveSummary = { sensors: new Map(), batches: 0, events: 0, undecodable: 0, problems: [] };
  try {
    for await (const { meta, payload } of archive.records((p) => summary.problems.push(p))) {
      let s = summary.sensors.get(meta.sensorId);
      if (!s) {
        s = { batches: 0, events: 0, duplicateSeqs: [], seqs: new Set(), labels: new Map() };
        summary.sensors.set(meta.sensorId, s);
      }
      if (s.seqs.has(meta.seq)) s.duplicateSeqs.push(meta.seq);
      s.seqs.add(meta.seq);
      s.batches++;
      summary.batches++;
      let events = meta.events;
      if (options.decode !== false) {
        const batch = decodeBatch(payload);
        if (!batch.ok) {
          summary.undecodable++;
          continue;
        }
        events = batch.value.events.length;
        for (const e of batch.value.events) s.labels.set(e.label ?? '', (s.labels.get(e.label ?? '') ?? 0) + 1);
      }
      s.events += events;
      summary.events += events;
    }
  } finally {
    await archive.close();
  }
  return summary;
}
