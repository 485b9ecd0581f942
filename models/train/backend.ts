/**
 * TensorFlow.js backend for training. tfjs-node (native TensorFlow) cannot be installed on our
 * build hosts, so training runs on the WebAssembly backend (XNNPACK kernels) and falls back to
 * the pure-JS 'cpu' backend only when WASM cannot start.
 *
 * What WASM needs under Node 20 (measured, see README.md):
 *  - the package's Node entry (dist/tf-backend-wasm.node.js) finds its .wasm files next to
 *    itself; we still pass that directory to setWasmPaths() so a bundled or relocated build
 *    does not depend on Emscripten guessing it.
 *  - SIMD: detected (WebAssembly.validate) and used: tfjs-backend-wasm-simd.wasm is loaded.
 *  - threads: never in Node. tfjs 4.22 hard-codes WASM_HAS_MULTITHREAD_SUPPORT=false when
 *    IS_NODE (tensorflow/tfjs#3830), so training is single-threaded, which also keeps it
 *    deterministic (no parallel reduction order).
 *
 * The backend is process-global tfjs state: call this once before training, not per model.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { silentLogger, type Logger } from '../../common/log.js';

export type TrainingBackendName = 'wasm' | 'cpu';

export interface TrainingBackendInfo {
  /** The backend tfjs is now using. */
  name: TrainingBackendName;
  /** WASM only: SIMD binary in use. */
  simd: boolean;
  /** WASM only: threads in use (always false under Node, see above). */
  threads: boolean;
  /** Why wasm was not used, when it was preferred but fell back to cpu. */
  fallbackReason?: string;
}

export interface TrainingBackendOptions {
  /** 'wasm' (default) or 'cpu' (pure JS; slower, used for comparisons and as the fallback). */
  prefer?: TrainingBackendName;
  logger?: Logger;
}

let wasmPathsSet = false;

/** Selects and initialises the training backend; resolves once tfjs is ready to run kernels. */
export async function initTrainingBackend(options: TrainingBackendOptions = {}): Promise<TrainingBackendInfo> {
  const log = options.logger ?? silentLogger;
  const prefer = options.prefer ?? 'wasm';
  if (prefer === 'wasm') {
    try {
      await startWasm();
      const info: TrainingBackendInfo = {
        name: 'wasm',
        simd: Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')),
        threads: Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')),
      };
      log.debug('training backend ready', { ...info });
      return info;
    } catch (err) {
      const reason = err instanceof Error ? err.message : String((err as { message?: unknown })?.message ?? err);
      log.warn('tfjs wasm backend could not start; training on the slower cpu backend', { reason });
      await startCpu();
      return { name: 'cpu', simd: false, threads: false, fallbackReason: reason };
    }
  }
  await startCpu();
  return { name: 'cpu', simd: false, threads: false };
}

async function startWasm(): Promise<void> {
  // Imported here, not at module load: registering a backend is a side effect (STYLE.md §14),
  // and a missing or broken package must become the cpu fallback, not an import error.
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  if (!wasmPathsSet) {
    // setWasmPaths throws once the backend was initialised; set it once per process.
    wasm.setWasmPaths(wasmDistDir());
    wasmPathsSet = true;
  }
  if (!(await tf.setBackend('wasm'))) throw new Error('tf.setBackend("wasm") returned false');
  await tf.ready();
  if (tf.getBackend() !== 'wasm') throw new Error(`tfjs is on "${tf.getBackend()}" after selecting wasm`);
}

async function startCpu(): Promise<void> {
  if (!(await tf.setBackend('cpu'))) throw new Error('tfjs cpu backend is not registered');
  await tf.ready();
}

/** node_modules/@tensorflow/tfjs-backend-wasm/dist/ with a trailing separator (a prefix, not a dir). */
function wasmDistDir(): string {
  const require = createRequire(import.meta.url);
  const main = require.resolve('@tensorflow/tfjs-backend-wasm');
  return join(dirname(main), '/');
}
