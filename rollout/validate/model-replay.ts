/**
 * Replays the corpus through a candidate model and the current one: the corpus's events become
 * feature rows as the engine makes them (models/features, via the dataset extractor, counters
 * learned online in event order), and a worker thread with a heap limit (model-worker.ts) scores
 * them with both. The first quarter of the rows warms the rarity counters up, as the engine's
 * scoreWarmupEvents does, and is not counted as detections. onnxruntime's own allocations are
 * native, outside the heap limit: the time limit bounds the rest.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Event } from '../../common/events.js';
import { extractRowSets } from '../../models/dataset/row-sets.js';
import type { ModelCard } from '../../models/model-card.js';
import { judgeCpu, judgeDetections, round } from './judge.js';
import type { FromModelWorker, ModelSideResult, ModelWorkerData } from './model-protocol.js';
import type { ValidateOptions } from './options.js';
import { block, pass, warn, type Check } from './report.js';

export interface ModelInput {
  bytes: Uint8Array;
  file: string;
}

const MIN_TIMED_BATCHES = 20;
const MAX_ROUNDS = 20;

function workerPath(): string {
  const here = new URL(import.meta.url);
  const url = here.pathname.endsWith('.ts') ? new URL('../../dist/rollout/validate/model-worker.js', here) : new URL('./model-worker.js', here);
  return fileURLToPath(url);
}

type Outcome =
  | { ok: true; candidate: ModelSideResult; current?: ModelSideResult; currentProblem?: string }
  | { ok: false; check: Check; currentProblem?: string };

export async function replayModel(card: ModelCard, candidate: ModelInput, current: ModelInput | undefined, events: readonly Event[], o: ValidateOptions): Promise<Check[]> {
  const sets = extractRowSets({ events: [...events], groups: events.map((e) => e.host ?? ''), files: [], skipped: 0, malformed: 0, problems: [] });
  const rows = sets[card.kind];
  if (rows.n === 0) {
    return [warn('load', 'not run: the corpus gives no feature rows of this kind'), block('replay', 'VIGIE_DATA_INVALID', `the corpus of ${events.length} events gives no ${card.kind} rows: nothing to score`), ...notMeasured('no rows')];
  }
  // A small corpus is timed over more passes (at least MIN_TIMED_BATCHES runs per model).
  const batches = Math.ceil(rows.n / o.batchRows);
  const rounds = Math.min(MAX_ROUNDS, Math.max(o.cpuRounds, Math.ceil(MIN_TIMED_BATCHES / batches)));
  const data: ModelWorkerData = {
    candidate, ...(current ? { current } : {}),
    rows: rows.values, n: rows.n, width: rows.width, batchRows: o.batchRows, rounds, countFrom: Math.floor(rows.n / 4),
  };
  const out = await runWorker(data, o);
  if (!out.ok) return [out.check, ...notMeasured('the candidate did not finish')];
  const c = out.candidate;
  const checks: Check[] = [pass('load', 'onnxruntime opened the candidate with the engine\'s loader, in an isolated worker')];
  if (c.nonFinite > 0) {
    checks.push(block('replay', 'VIGIE_MODEL_FAILED', `crash: the candidate scored ${c.nonFinite} of ${rows.n} rows as NaN or infinite`, { metrics: { failure: 'crash', rows: rows.n, nonFinite: c.nonFinite } }));
  } else {
    checks.push(pass('replay', `${rows.n} ${card.kind} rows from ${events.length} events scored in batches of ${o.batchRows}: no failure (slowest batch ${round(c.slowestBatchMs)} ms)`, { rows: rows.n, slowestBatchMs: round(c.slowestBatchMs) }));
  }
  // Counted rows stand for the events after the warm-up share.
  const counted = Math.round(events.length * (1 - data.countFrom / rows.n));
  const cur = out.current;
  const detections = judgeDetections({ detections: c.above, events: counted }, cur && { detections: cur.above, events: counted }, o.thresholds, 'rows above the threshold');
  const cpu = judgeCpu({ ms: c.ms, events: events.length }, cur && { ms: cur.ms, events: events.length }, { ...o.thresholds, cpuFloorUs: o.thresholds.modelCpuFloorUs }, { rows: rows.n, rounds });
  if (!cur) for (const k of [detections, cpu]) k.detail += ` (${out.currentProblem ?? 'no current model'})`;
  return [...checks, detections, cpu];
}

function runWorker(data: ModelWorkerData, o: ValidateOptions): Promise<Outcome> {
  const path = workerPath();
  if (!existsSync(path)) {
    return Promise.resolve({ ok: false, check: block('load', 'VIGIE_MODEL_FAILED', `the model worker code is not at ${path}: run \`npm run build\``) });
  }
  const worker = new Worker(path, { workerData: data, name: 'vigie-validate-model', resourceLimits: { maxOldGenerationSizeMb: o.memoryMb, maxYoungGenerationSizeMb: 16 } });
  let currentProblem: string | undefined;
  return new Promise<Outcome>((resolve) => {
    let settled = false;
    let exited = false;
    // `ended`: the worker closed its sessions and sent its last message; it exits on its own, and
    // is terminated only if it does not (terminating it while onnxruntime releases a session can
    // take the whole process down). A timeout terminates it at once: there is no other way.
    // The answer is given once the thread is gone, so that two validations never have
    // onnxruntime sessions alive in two threads at once (onnxruntime-node is fragile there).
    const settle = (v: Outcome, ended = false): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const answer = currentProblem !== undefined ? { ...v, currentProblem } : v;
      if (exited) return resolve(answer);
      const grace = setTimeout(() => void worker.terminate(), ended ? EXIT_GRACE_MS : 0);
      worker.once('exit', () => {
        clearTimeout(grace);
        resolve(answer);
      });
    };
    const timer = setTimeout(() => settle({ ok: false, check: block('replay', 'VIGIE_VALIDATION_BLOCKED', `timeout: scoring did not finish within the ${o.timeLimitMs} ms time limit`, { metrics: { failure: 'timeout' } }) }), o.timeLimitMs);
    worker.on('message', (m: FromModelWorker) => {
      if (m.t === 'progress') o.onProgress?.('replay', m.done, m.total);
      else if (m.t === 'load-failed' && m.side === 'current') currentProblem = `the current model did not load: ${m.problem.message}`;
      else if (m.t === 'load-failed') settle({ ok: false, check: block('load', m.problem.code, `the engine's loader refused the candidate in the worker: ${m.problem.message}`, { problems: [m.problem] }) }, true);
      else if (m.t === 'failed' && m.side === 'current') currentProblem = `the current model failed while scoring: ${m.message}`;
      else if (m.t === 'failed') settle({ ok: false, check: block('replay', 'VIGIE_MODEL_FAILED', `crash: the candidate failed while scoring: ${m.message}`, { metrics: { failure: 'crash' } }) }, true);
      else if (m.t === 'done') settle({ ok: true, candidate: m.candidate, ...(m.current ? { current: m.current } : {}) }, true);
    });
    worker.on('error', (e) => settle({ ok: false, check: block('replay', 'VIGIE_MODEL_FAILED', `crash: the model worker failed: ${e.message}`, { metrics: { failure: 'crash' } }) }));
    worker.on('exit', (code) => {
      exited = true;
      settle({ ok: false, check: block('replay', 'VIGIE_MODEL_FAILED', `crash: the model worker exited (${code}) before it finished`, { metrics: { failure: 'crash' } }) });
    });
  });
}

/** How long a worker that sent its last message may take to exit before it is terminated. */
const EXIT_GRACE_MS = 5000;

function notMeasured(why: string): Check[] {
  return [warn('detections', `not measured: ${why}`), warn('cpu', `not measured: ${why}`)];
}
