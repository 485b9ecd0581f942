/**
 * The engine side of a model: read an ONNX file, check it (inspect.ts), open one onnxruntime
 * session, and score batches with it. Build once, run hot: everything is checked before the first
 * batch, and each score() or explain() call is exactly one session.run.
 */
import { readFile } from 'node:fs/promises';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { VigieError, fail, ok } from '../../common/errors.js';
import type { Result } from '../../common/errors.js';
import type { ModelCard } from '../model-card.js';
import { CONTRIBUTIONS_NAME, INPUT_NAME, SCORE_NAME } from './contract.js';
import { inspectModel } from './inspect.js';

export interface LoadOptions {
  /** The feature schema this engine extracts, e.g. 'vigie.features/1'; another is refused. */
  expectedSchema: string;
  /** Names in-memory bytes in error locations (a path names itself). */
  source?: string;
}

export interface ModelScores {
  /** [n] One anomaly score per row. */
  score: Float32Array;
  /** [n * width] Row-major per-feature contributions; a row's values sum to its score. */
  contributions: Float32Array;
}

export interface LoadedModel {
  readonly card: ModelCard;
  /** Values per row: card.featureNames.length. */
  readonly width: number;
  /**
   * The anomaly scores ([n]) of the first `n` rows of `rows` (row-major, n * width values; a
   * longer buffer is fine). One session.run per call, fetching the score output only: the
   * contributions (n * width floats, 0.6 MB for 4,096 process rows) are computed by the graph
   * but not copied out, and the hot path never allocates them (explain() does, for the few rows
   * that need words). Batching is the caller's job. n = 0 returns an empty array without
   * running. `rows` is read in place: leave it unchanged until the promise settles. Rejects with
   * VigieError(VIGIE_MODEL_FAILED) on bad arguments, after close(), or when onnxruntime fails.
   */
  score(rows: Float32Array, n: number): Promise<Float32Array>;
  /** score() with the per-feature contributions: one session.run fetching both outputs. */
  explain(rows: Float32Array, n: number): Promise<ModelScores>;
  /** Waits for runs in flight, then releases the session. Idempotent. */
  close(): Promise<void>;
}

type Ort = typeof import('onnxruntime-node');

// onnxruntime's native library is loaded on first use, not when this module is imported.
let ortModule: Promise<Ort> | undefined;
const loadOrt = (): Promise<Ort> => (ortModule ??= import('onnxruntime-node'));

const SESSION_OPTIONS: InferenceSession.SessionOptions = {
  // One thread per session: the engine scales by batching, and measures before adding threads.
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
  // onnxruntime writes to stderr on its own; keep it to errors (ours are typed results).
  logSeverityLevel: 3,
};

/** Never throws: every expected failure is a VIGIE_MODEL_INVALID or VIGIE_MODEL_SCHEMA result. */
export async function loadModel(bytesOrPath: Uint8Array | string, options: LoadOptions): Promise<Result<LoadedModel>> {
  const file = typeof bytesOrPath === 'string' ? bytesOrPath : (options.source ?? '(bytes)');
  let bytes: Uint8Array;
  if (typeof bytesOrPath === 'string') {
    try {
      bytes = await readFile(bytesOrPath);
    } catch (e) {
      return fail('VIGIE_MODEL_INVALID', `cannot read the model file: ${(e as Error).message}`, { file });
    }
  } else {
    bytes = bytesOrPath;
  }
  const inspected = inspectModel(bytes, options.expectedSchema, file);
  if (!inspected.ok) return inspected;
  let session: InferenceSession;
  let ort: Ort;
  try {
    ort = await loadOrt();
    // From the bytes we checked, never from the path: the file could change in between.
    session = await ort.InferenceSession.create(bytes, SESSION_OPTIONS);
  } catch (e) {
    return fail('VIGIE_MODEL_INVALID', `onnxruntime refused the model: ${(e as Error).message}`, { file });
  }
  return ok(new OnnxModel(ort, session, inspected.value.card, inspected.value.width));
}

class OnnxModel implements LoadedModel {
  private readonly inflight = new Set<Promise<unknown>>();
  private closing: Promise<void> | undefined;

  constructor(private readonly ort: Ort, private readonly session: InferenceSession,
    readonly card: ModelCard, readonly width: number) {}

  async score(rows: Float32Array, n: number): Promise<Float32Array> {
    const out = await this.run(rows, n, SCORE_ONLY);
    return out ? floats(out[SCORE_NAME], n) : new Float32Array(0);
  }

  async explain(rows: Float32Array, n: number): Promise<ModelScores> {
    const out = await this.run(rows, n, BOTH);
    return out
      ? { score: floats(out[SCORE_NAME], n), contributions: floats(out[CONTRIBUTIONS_NAME], n * this.width) }
      : { score: new Float32Array(0), contributions: new Float32Array(0) };
  }

  /**
   * One session.run over the first n rows, fetching `outputs` (undefined for n = 0: nothing to
   * run). Everything up to session.run is synchronous, so the run is in flight, and close() waits
   * for it, from the moment score() or explain() is called.
   */
  private async run(rows: Float32Array, n: number, outputs: readonly string[]): Promise<InferenceSession.ReturnType | undefined> {
    if (this.closing) throw new VigieError('VIGIE_MODEL_FAILED', `model ${this.card.name} is closed`);
    const size = n * this.width;
    if (!Number.isInteger(n) || n < 0 || rows.length < size) {
      throw new VigieError('VIGIE_MODEL_FAILED',
        `score(rows, n): n = ${n} rows of ${this.width} need ${size} values, got ${rows.length}`);
    }
    if (n === 0) return undefined;
    const input = new this.ort.Tensor('float32', rows.length === size ? rows : rows.subarray(0, size), [n, this.width]);
    const run = this.session.run({ [INPUT_NAME]: input }, outputs);
    this.inflight.add(run);
    try {
      return await run;
    } catch (e) {
      throw e instanceof VigieError ? e : new VigieError('VIGIE_MODEL_FAILED', `session.run failed: ${(e as Error).message}`);
    } finally {
      this.inflight.delete(run);
    }
  }

  close(): Promise<void> {
    this.closing ??= Promise.allSettled([...this.inflight]).then(() => this.session.release());
    return this.closing;
  }
}

const SCORE_ONLY: readonly string[] = [SCORE_NAME];
const BOTH: readonly string[] = [SCORE_NAME, CONTRIBUTIONS_NAME];

function floats(t: Tensor | undefined, length: number): Float32Array {
  if (!t || !(t.data instanceof Float32Array) || t.data.length !== length) {
    throw new VigieError('VIGIE_MODEL_FAILED', `an output is not float32[${length}]`);
  }
  return t.data;
}
