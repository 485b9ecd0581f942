/**
 * The model worker: opens the candidate and the current model with the engine's loader
 * (models/onnx loadModel, the same call the score stage makes) and scores the corpus's feature
 * rows with both, batch by batch, interleaved (the order alternates each batch) so that both are
 * timed on the same machine at the same moments. Runs in a thread with a heap limit; the
 * validator terminates it at the time limit.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { FEATURE_SCHEMA_VERSION } from '../../models/features/index.js';
import { loadModel, type LoadedModel } from '../../models/onnx/index.js';
import type { FromModelWorker, ModelSideName, ModelSideResult, ModelWorkerData } from './model-protocol.js';

const port = parentPort;
const post = (m: FromModelWorker): void => port!.postMessage(m);

interface Side {
  name: ModelSideName;
  model: LoadedModel;
  ms: Float64Array;
  above: number;
  nonFinite: number;
}

async function open(name: ModelSideName, src: { bytes: Uint8Array; file: string }, batches: number): Promise<Side | undefined> {
  const loaded = await loadModel(src.bytes, { expectedSchema: FEATURE_SCHEMA_VERSION, source: src.file });
  if (!loaded.ok) {
    post({ t: 'load-failed', side: name, problem: loaded.error });
    return undefined;
  }
  post({ t: 'loaded', side: name });
  return { name, model: loaded.value, ms: new Float64Array(batches).fill(Infinity), above: 0, nonFinite: 0 };
}

async function main(d: ModelWorkerData): Promise<void> {
  const batches = Math.ceil(d.n / d.batchRows);
  const cand = await open('candidate', d.candidate, batches);
  if (!cand) return;
  let cur: Side | undefined = d.current ? await open('current', d.current, batches) : undefined;
  const opened = cur ? [cand, cur] : [cand];
  // The sessions are closed before the last message: the validator lets this thread end on its
  // own then, since terminating a thread while onnxruntime releases a session can take the whole
  // process down.
  let last: FromModelWorker | undefined;
  try {
    last = await scoreAll(d, batches, cand, cur, (c) => (cur = c));
  } finally {
    for (const s of opened) await s.model.close().catch(() => undefined);
  }
  if (last) post(last);
}

/** Scores every batch with both sides; the terminal message (done, or the candidate's failure). */
async function scoreAll(d: ModelWorkerData, batches: number, cand: Side, cur0: Side | undefined, setCur: (s: Side | undefined) => void): Promise<FromModelWorker> {
  let cur = cur0;
  const total = batches * d.rounds;
  let done = 0;
  for (let r = 0; r < d.rounds; r++) {
    for (let b = 0; b < batches; b++) {
      const from = b * d.batchRows;
      const n = Math.min(d.batchRows, d.n - from);
      const rows = d.rows.subarray(from * d.width, (from + n) * d.width);
      const order: Side[] = !cur ? [cand] : (b + r) % 2 === 0 ? [cand, cur] : [cur, cand];
      for (const side of order) {
        const t0 = performance.now();
        let score: Float32Array;
        try {
          score = await side.model.score(rows, n);
        } catch (e) {
          const failed: FromModelWorker = { t: 'failed', side: side.name, message: (e as Error)?.message ?? String(e) };
          if (side === cand) return failed;
          // The current model failing leaves the candidate without a baseline, not unmeasured.
          post(failed);
          cur = undefined;
          setCur(undefined);
          continue;
        }
        const ms = performance.now() - t0;
        if (ms < side.ms[b]!) side.ms[b] = ms;
        if (r === 0) count(side, score, from, d.countFrom);
      }
      post({ t: 'progress', done: ++done, total });
    }
  }
  const result = (s: Side): ModelSideResult => ({ ms: s.ms.reduce((a, x) => a + x, 0), above: s.above, nonFinite: s.nonFinite, slowestBatchMs: Math.max(0, ...s.ms) });
  return { t: 'done', candidate: result(cand), ...(cur ? { current: result(cur) } : {}) };
}

/** Detections as the engine decides them: a row's own score over the card's threshold. */
function count(side: Side, score: Float32Array, from: number, countFrom: number): void {
  const threshold = side.model.card.threshold;
  for (let i = 0; i < score.length; i++) {
    const v = score[i]!;
    if (!Number.isFinite(v)) side.nonFinite++;
    else if (from + i >= countFrom && v / threshold > 1) side.above++;
  }
}

if (port) {
  main(workerData as ModelWorkerData).catch((e: unknown) => post({ t: 'failed', side: 'candidate', message: `model worker: ${(e as Error)?.message ?? String(e)}` }));
}
