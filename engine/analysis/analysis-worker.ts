/**
 * The analysis thread: decodes archived batches and runs the stage list (enrich, and later
 * extract, score, match, store) off the engine's main thread, which keeps ingest, archive and
 * acks. Receives groups of archived batches; answers each group with the number processed and
 * the stages' counters, which is how the main thread applies backpressure and reports status.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createLogger, type LogLevel } from '../../common/log.js';
import type { Detection } from '../detect/detection.js';
import type { ArchivedBatch } from '../pipeline/stage.js';
import { StageRunner } from './stage-runner.js';
import { buildStages, type StageOptions } from './stages.js';

export type ToWorker =
  | { t: 'batches'; items: ArchivedBatch[] }
  | { t: 'flush'; id: number };

export type FromWorker =
  | { t: 'done'; n: number; counters: Record<string, Record<string, number>>; detections: Detection[] }
  | { t: 'flushed'; id: number; counters: Record<string, Record<string, number>> };

export interface AnalysisWorkerData {
  stages: StageOptions;
  logLevel: LogLevel;
}

const port = parentPort;
if (port) {
  const data = workerData as AnalysisWorkerData;
  const log = createLogger({ level: data.logLevel, base: { component: 'analysis' } });
  // highWater is the main thread's business; here the runner only processes in order.
  // Progress is reported after every group of batches, so the main thread's backpressure eases
  // as soon as there is room, not when the whole queue is empty (that made ingest stall in bursts).
  // Detections ride on the progress messages: the main thread is the store's one writer.
  let detections: Detection[] = [];
  const sink = { add: (d: readonly Detection[]) => { detections.push(...d); } };
  const runner: StageRunner = new StageRunner(buildStages(data.stages, sink), log, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 2000,
    (n) => {
      port.postMessage({ t: 'done', n, counters: runner.counters(), detections } satisfies FromWorker);
      detections = [];
    });
  port.on('message', (m: ToWorker) => {
    if (m.t === 'batches') {
      for (const b of m.items) runner.push(b);
    } else {
      void runner.flush().then(() => port.postMessage({ t: 'flushed', id: m.id, counters: runner.counters() } satisfies FromWorker));
    }
  });
}
