/**
 * `node dist/bench/train.js` (after the build): autoencoder training speed on the tfjs 'wasm'
 * and 'cpu' backends, in one process, one after the other. Prints one JSON line: one object per
 * backend and `wasm_speedup` (cpu step time / wasm step time) when both ran.
 *
 * - Data: VIGIE_BENCH_ROWS (default 100000) synthetic rows x VIGIE_BENCH_FEATURES (default 30)
 *   from models/train/synthetic.ts; default options (F -> 32 -> 8 -> 32 -> F, batch 256, Adam).
 * - Each backend trains VIGIE_BENCH_EPOCHS epochs (default 3, early stopping off); the first
 *   epoch is warm-up (kernel compilation, JIT) and is excluded from `rows_per_sec`.
 *   `step_ms` = batchSize / rows_per_sec: one gradient step on one batch.
 * - VIGIE_BENCH_BACKENDS: comma-separated subset of wasm,cpu (default both).
 */
import { initTrainingBackend, type TrainingBackendName } from '../models/train/backend.js';
import { trainAutoencoder } from '../models/train/autoencoder.js';
import { createManifold } from '../models/train/synthetic.js';

const ROWS = Number(process.env['VIGIE_BENCH_ROWS'] ?? 100_000);
const FEATURES = Number(process.env['VIGIE_BENCH_FEATURES'] ?? 30);
const EPOCHS = Math.max(2, Number(process.env['VIGIE_BENCH_EPOCHS'] ?? 3));
const BACKENDS = (process.env['VIGIE_BENCH_BACKENDS'] ?? 'wasm,cpu').split(',') as TrainingBackendName[];
const BATCH = 256;

async function main(): Promise<number> {
  const rows = createManifold(FEATURES, 4, 0.05, 1).normal(ROWS, 2);
  const out: Record<string, unknown> = { rows: ROWS, features: FEATURES, batch: BATCH, epochs: EPOCHS };
  const stepMs: Record<string, number> = {};
  for (const prefer of BACKENDS) {
    const info = await initTrainingBackend({ prefer });
    const perEpoch: { ms: number; rowsPerSec: number }[] = [];
    let last = 0;
    const t0 = Date.now();
    const r = await trainAutoencoder(rows, FEATURES, { epochs: EPOCHS, patience: EPOCHS + 1, batchSize: BATCH, seed: 1 }, (p) => {
      perEpoch.push({ ms: p.elapsedMs - last, rowsPerSec: p.rowsPerSecond });
      last = p.elapsedMs;
    });
    if (!r.ok) {
      process.stderr.write(`${r.error.code}: ${r.error.message}\n`);
      return 1;
    }
    const warm = perEpoch.slice(1);
    const rowsPerSec = warm.reduce((s, e) => s + e.rowsPerSec, 0) / warm.length;
    const epochMs = warm.reduce((s, e) => s + e.ms, 0) / warm.length;
    stepMs[info.name] = (BATCH / rowsPerSec) * 1000;
    out[prefer] = {
      backend: info.name, simd: info.simd, threads: info.threads, ...(info.fallbackReason ? { fallback_reason: info.fallbackReason } : {}),
      train_rows: r.value.history.trainRows, total_ms: Date.now() - t0, first_epoch_ms: perEpoch[0]?.ms,
      epoch_ms: Math.round(epochMs), rows_per_sec: Math.round(rowsPerSec), step_ms: Number(stepMs[info.name]!.toFixed(3)),
    };
  }
  if (stepMs['wasm'] && stepMs['cpu']) out['wasm_speedup'] = Number((stepMs['cpu'] / stepMs['wasm']).toFixed(2));
  process.stdout.write(JSON.stringify(out) + '\n');
  return 0;
}

main().then((code) => { process.exitCode = code; }, (err: unknown) => { console.error(err); process.exitCode = 1; });
