/**
 * The analysis thread: decodes archived batches and runs the stage list (enrich, signature hits,
 * score) off the engine's main thread, which keeps ingest, archive and acks. Starts the stages
 * (the score stage loads its models) and says so; receives groups of archived batches and answers
 * each group with the number processed and the stages' counters, which is how the main thread
 * applies backpressure and reports status.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Result } from '../../common/errors.js';
import { createLogger, type LogLevel } from '../../common/log.js';
import type { ModelCard } from '../../models/model-card.js';
import type { ModelCommand } from '../score/model-command.js';
import type { Detection } from '../detect/detection.js';
import type { ArchivedBatch } from '../pipeline/stage.js';
import { niceThisThread } from '../../common/thread-priority.js';
import { StageRunner } from './stage-runner.js';
import { buildStages, type StageOptions } from './stages.js';

type Counters = Record<string, Record<string, number>>;
type Info = Record<string, Record<string, string>>;

export type ToWorker =
  | { t: 'batches'; items: ArchivedBatch[] }
  /** close: flush, then close the stages (model sessions) before the thread is terminated. */
  | { t: 'flush'; id: number; close?: boolean }
  | { t: 'model'; id: number; command: ModelCommand };

export type FromWorker =
  | { t: 'started'; counters: Counters; info: Info }
  | { t: 'done'; n: number; counters: Counters; info: Info; detections: Detection[] }
  | { t: 'flushed'; id: number; counters: Counters; info: Info }
  | { t: 'swapped'; id: number; result: Result<ModelCard | undefined>; counters: Counters; info: Info };

export interface AnalysisWorkerData {
  stages: StageOptions;
  logLevel: LogLevel;
  /** Nice value for this thread (common/thread-priority.ts); 0 leaves it as it is. */
  nice: number;
}

const port = parentPort;
if (port) {
  const data = workerData as AnalysisWorkerData;
  const log = createLogger({ level: data.logLevel, base: { component: 'analysis' } });
  if (data.nice > 0) {
    const r = niceThisThread(data.nice);
    if (!r.ok) log.warn('analysis thread keeps its CPU priority', { reason: r.reason });
  }
  // highWater is the main thread's business; here the runner only processes in order.
  // Progress is reported after every group of batches, so the main thread's backpressure eases
  // as soon as there is room, not when the whole queue is empty (that made ingest stall in bursts).
  // Detections ride on the progress messages: the main thread is the store's one writer.
  let detections: Detection[] = [];
  const report = (n: number) => {
    port.postMessage({ t: 'done', n, counters: runner.counters(), info: runner.info(), detections } satisfies FromWorker);
    detections = [];
  };
  // The score stage finds detections when a micro-batch is scored, which may be after its group
  // was reported (the latency bound's timer): those go out on their own, on the next turn.
  let posting = false;
  const sink = {
    add: (d: readonly Detection[]) => {
      detections.push(...d);
      if (posting) return;
      posting = true;
      setImmediate(() => {
        posting = false;
        if (detections.length > 0) report(0);
      });
    },
  };
  const runner: StageRunner = new StageRunner(buildStages(data.stages, sink, log), log, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 2000, report);
  void runner.start().then(() => port.postMessage({ t: 'started', counters: runner.counters(), info: runner.info() } satisfies FromWorker));
  port.on('message', (m: ToWorker) => {
    if (m.t === 'batches') {
      for (const b of m.items) runner.push(b);
    } else if (m.t === 'flush') {
      void (m.close ? runner.close() : runner.flush()).then(() => {
        if (detections.length > 0) report(0);
        port.postMessage({ t: 'flushed', id: m.id, counters: runner.counters(), info: runner.info() } satisfies FromWorker);
      });
    } else {
      void runner.start().then(() => runner.modelCommand(m.command)).then((result) => {
        port.postMessage({ t: 'swapped', id: m.id, result, counters: runner.counters(), info: runner.info() } satisfies FromWorker);
      });
    }
  });
}
