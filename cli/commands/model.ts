/**
 * `vigie model train|eval|info`: the anomaly models (models/). Training data: recorded Sysmon JSON
 * logs (`--data FILE...`, the format of ../shared/datasets) or the simulated fleet's benign
 * behaviour (`--simulate HOSTS --hours H`), or the engine's archive (`--archive DIR`). Progress on stderr; `--json` prints one JSON object
 * as the last line of stdout.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { formatProblem, unwrap, VigieError } from '../../common/errors.js';
import { simulatedEvents } from '../../models/build/simulated-data.js';
import { trainModel, type ModelKind } from '../../models/build/train-model.js';
import { readArchiveEvents } from '../../models/dataset/archive-events.js';
import { readLabelledEvents, type LabelledEvents } from '../../models/dataset/labelled-log.js';
import { extractRowSets } from '../../models/dataset/row-sets.js';
import { crossValidateDataset, scoreDatasetWithModels } from '../../models/eval/evaluate-dataset.js';
import { FEATURE_SCHEMA_VERSION } from '../../models/features/index.js';
import { loadModel, type LoadedModel } from '../../models/onnx/index.js';
import type { RowScorer } from '../../models/eval/evaluate-dataset.js';
import type { RowSet } from '../../models/dataset/row-sets.js';
import { initTrainingBackend } from '../../models/train/index.js';
import type { Command, CommandContext } from '../command.js';
import { ProgressBar } from '../progress-bar.js';

/** Scores a row set with an onnxruntime session, 4,096 rows per run(). */
function sessionScorer(model: LoadedModel): RowScorer {
  return {
    threshold: model.card.threshold,
    async scoreAll(set: RowSet): Promise<Float64Array> {
      const out = new Float64Array(set.n);
      const BATCH = 4096;
      for (let r = 0; r < set.n; r += BATCH) {
        const n = Math.min(BATCH, set.n - r);
        const score = await model.score(set.values.subarray(r * set.width, (r + n) * set.width), n);
        out.set(score, r);
      }
      return out;
    },
  };
}

const KINDS: readonly ModelKind[] = ['process', 'network'];

function int(name: string, v: string | undefined, fallback: number, min = 1): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new VigieError('VIGIE_CONFIG_INVALID', `--${name} must be an integer >= ${min}, got "${v}"`, { field: name });
  return n;
}

/** Hyper-parameters given on the command line (--epochs, --hidden, --scale-floor), over the training defaults. */
function trainOverrides(values: { epochs?: string | undefined; hidden?: string | undefined; 'scale-floor'?: string | undefined }, seed: number): Record<string, unknown> {
  const floor = values['scale-floor'];
  if (floor !== undefined && !(floor.trim() !== '' && Number.isFinite(Number(floor)))) {
    throw new VigieError('VIGIE_CONFIG_INVALID', `--scale-floor must be a number in [0, 1], got "${floor}"`, { field: 'scale-floor' });
  }
  return {
    seed,
    ...(values.epochs !== undefined ? { epochs: int('epochs', values.epochs, 40) } : {}),
    ...(values.hidden !== undefined ? { hiddenLayers: values.hidden } : {}),
    // Range checked with the other options (models/train/options.ts: VIGIE_CONFIG_INVALID).
    ...(floor !== undefined ? { scaleFloor: Number(floor) } : {}),
  };
}

/** Events from --data files, --archive DIR or --simulate (exactly one). */
async function loadData(ctx: CommandContext, data: string[] | undefined, simulate: string | undefined, hours: string | undefined, seed: number, archive?: string): Promise<LabelledEvents> {
  const sources = [data && data.length > 0, simulate !== undefined, archive !== undefined].filter(Boolean).length;
  if (sources > 1) throw new VigieError('VIGIE_CONFIG_INVALID', 'give one of --data, --archive or --simulate', { field: 'data' });
  if (archive !== undefined) {
    const read = unwrap(await readArchiveEvents(archive));
    ctx.stderr(`read ${read.events.length.toLocaleString('en')} events from the archive at ${archive} (${read.malformed} damaged records or batches skipped)\n`);
    for (const p of read.problems.slice(0, 5)) ctx.stderr(`  ${formatProblem(p)}\n`);
    return read;
  }
  if (simulate !== undefined) {
    const hosts = int('simulate', simulate, 0);
    const h = int('hours', hours, 24);
    const bar = new ProgressBar();
    const out = simulatedEvents({ hosts, hours: h, seed, onHour: (done, events) => bar.update('simulating', done, h, `${events.toLocaleString('en')} events`) });
    bar.done();
    return out;
  }
  if (!data || data.length === 0) throw new VigieError('VIGIE_CONFIG_INVALID', 'no training data: give --data FILE... (Sysmon JSON logs), --archive DIR (the engine archive, e.g. var/archive) or --simulate HOSTS', { field: 'data' });
  const read = unwrap(readLabelledEvents(data));
  ctx.stderr(`read ${read.events.length.toLocaleString('en')} events from ${data.length} file(s) (${read.skipped} records of other kinds skipped, ${read.malformed} malformed)\n`);
  for (const p of read.problems.slice(0, 5)) ctx.stderr(`  ${formatProblem(p)}\n`);
  return read;
}

async function train(ctx: CommandContext, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      data: { type: 'string', multiple: true }, archive: { type: 'string' }, simulate: { type: 'string' }, hours: { type: 'string' }, seed: { type: 'string' },
      kind: { type: 'string', default: 'process' }, out: { type: 'string' }, name: { type: 'string' }, version: { type: 'string' },
      epochs: { type: 'string' }, hidden: { type: 'string' }, 'scale-floor': { type: 'string' }, 'fp-budget': { type: 'string' }, created: { type: 'string' }, json: { type: 'boolean' },
    },
  });
  const kind = values.kind as ModelKind;
  if (!KINDS.includes(kind)) throw new VigieError('VIGIE_CONFIG_INVALID', `--kind must be process or network, got "${values.kind}"`, { field: 'kind' });
  if (!values.out) throw new VigieError('VIGIE_CONFIG_INVALID', '--out FILE is required (where the ONNX model is written)', { field: 'out' });
  const seed = int('seed', values.seed, 1, 0);
  const budget = values['fp-budget'] === undefined ? undefined : Number(values['fp-budget']);
  if (budget !== undefined && !(budget >= 0)) throw new VigieError('VIGIE_CONFIG_INVALID', `--fp-budget must be a number of alerts per host per day >= 0`, { field: 'fp-budget' });
  const overrides = trainOverrides(values, seed); // flags checked before any data is read
  const data = await loadData(ctx, values.data, values.simulate, values.hours, seed, values.archive);
  const sets = extractRowSets(data);
  ctx.stderr(`features ${FEATURE_SCHEMA_VERSION}: ${sets.process.n.toLocaleString('en')} process rows, ${sets.network.n.toLocaleString('en')} network rows\n`);
  const backend = await initTrainingBackend();
  const bar = new ProgressBar();
  const trained = await trainModel(data.events, sets, {
    kind,
    ...(values.name !== undefined ? { name: values.name } : {}),
    ...(values.version !== undefined ? { version: values.version } : {}),
    ...(budget !== undefined ? { alertsPerHostPerDay: budget } : {}),
    ...(values.created !== undefined ? { createdAt: values.created } : {}),
    sources: data.files,
    train: overrides,
    onProgress: (p) => bar.update(`training ${kind} (${backend.name})`, p.epoch, p.epochs, `loss ${p.loss.toFixed(4)} val ${p.valLoss.toFixed(4)} ${Math.round(p.rowsPerSecond).toLocaleString('en')} rows/s`),
  });
  bar.done();
  const model = unwrap(trained);
  writeFileSync(values.out, model.bytes);
  const c = model.card;
  const summary = {
    out: values.out, kind, name: c.name, version: c.version, rows: c.trainingData.rows, threshold: c.threshold,
    expected_alerts_per_host_per_day: model.calibration.expectedAlertsPerHostPerDay, best_epoch: model.history.bestEpoch,
    stopped_early: model.history.stoppedEarly, backend: model.history.backend, digest: c.trainingDataDigest, bytes: model.bytes.length,
  };
  if (values.json) ctx.stdout(`${JSON.stringify(summary)}\n`);
  else ctx.stdout(`wrote ${values.out}: ${kind} model ${c.name}@${c.version}, ${c.trainingData.rows.toLocaleString('en')} benign rows, threshold ${c.threshold.toPrecision(4)} (budget ${c.falsePositiveBudget?.alertsPerHostPerDay} alerts/host/day over ${c.falsePositiveBudget?.eventsPerHostPerDay.toFixed(0)} rows/host/day)\n`);
  return 0;
}

async function evaluate(ctx: CommandContext, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      data: { type: 'string', multiple: true }, model: { type: 'string', multiple: true }, folds: { type: 'string' }, seed: { type: 'string' },
      epochs: { type: 'string' }, hidden: { type: 'string' }, 'scale-floor': { type: 'string' }, json: { type: 'boolean' },
    },
  });
  const seed = int('seed', values.seed, 1, 0);
  const overrides = trainOverrides(values, seed); // flags checked before any data is read
  const data = await loadData(ctx, values.data, undefined, undefined, seed);
  const sets = extractRowSets(data);
  let report;
  if (values.model && values.model.length > 0) {
    const byKind: Partial<Record<ModelKind, LoadedModel>> = {};
    try {
      for (const file of values.model) {
        const m = unwrap(await loadModel(file, { expectedSchema: FEATURE_SCHEMA_VERSION }));
        byKind[m.card.kind] = m;
      }
      if (!byKind.process || !byKind.network) throw new VigieError('VIGIE_CONFIG_INVALID', 'give one process model and one network model (--model P.onnx --model N.onnx)', { field: 'model' });
      const decay = Number(byKind.process.card.training['lineageDecay'] ?? 0.9);
      report = unwrap(await scoreDatasetWithModels(data, sets, { process: sessionScorer(byKind.process), network: sessionScorer(byKind.network) }, decay));
    } finally {
      for (const m of Object.values(byKind)) await m.close();
    }
  } else {
    await initTrainingBackend();
    const bar = new ProgressBar();
    const folds = int('folds', values.folds, 5, 2);
    report = unwrap(
      await crossValidateDataset(data, sets, {
        folds, seed,
        train: overrides,
        onFold: (f, n, kind) => bar.update('leave-datasets-out', f - 1, n, `training fold ${f} (${kind})`),
      }),
    );
    bar.update('leave-datasets-out', folds, folds);
    bar.done();
  }
  if (!values.json) {
    for (const kind of KINDS) {
      const r = report[kind];
      if (r.problem) {
        ctx.stdout(`${kind} events: ${r.events} (${r.malicious} malicious): no metrics: ${r.problem}\n`);
        continue;
      }
      const f = (m: Record<string, number>) => `ROC-AUC ${m['roc_auc']?.toFixed(3)}  PR-AUC ${m['pr_auc']?.toFixed(3)}  recall@1%FPR ${m['recall_at_1pct_fpr']?.toFixed(3)}  recall@0.1%FPR ${m['recall_at_0.1pct_fpr']?.toFixed(3)}`;
      const perFold = r.model_fold_mean ? `  model, per fold (mean of ${r.model_fold_mean['folds']} folds, each on its own threshold) ${f(r.model_fold_mean)}\n` : '';
      const byMedian = r.model_pooled_median ? `  model, pooled in units of each fold's median benign score ${f(r.model_pooled_median)}\n` : '';
      ctx.stdout(`${kind} events: ${r.events} (${r.malicious} malicious)\n  model           ${f(r.model)}\n${perFold}${byMedian}  model, no lineage ${f(r.model_own)}\n  rarity baseline ${f(r.baseline_rarity)}\n`);
    }
  }
  ctx.stdout(`${JSON.stringify(report)}\n`);
  return 0;
}

export const command: Command = {
  summary: 'Anomaly models: train (TensorFlow.js -> ONNX), evaluate (leave-datasets-out), show a model card',
  usage:
    'vigie model train (--data FILE... | --archive DIR | --simulate HOSTS [--hours H]) --kind process|network --out M.onnx [--seed S] [--epochs N] [--hidden 16,4,16] [--scale-floor F] [--fp-budget ALERTS_PER_HOST_PER_DAY] [--name N] [--version X.Y.Z] [--created ISO] [--json]\n' +
    '       vigie model eval --data FILE... [--model P.onnx --model N.onnx | --folds K] [--seed S] [--epochs N] [--hidden 16,4,16] [--scale-floor F] [--json]\n' +
    '       vigie model info M.onnx',
  async run(ctx) {
    const [sub, ...rest] = ctx.argv;
    if (sub === 'train') return train(ctx, rest);
    if (sub === 'eval') return evaluate(ctx, rest);
    if (sub === 'info' && rest[0]) {
      const m = unwrap(await loadModel(rest[0], { expectedSchema: FEATURE_SCHEMA_VERSION }));
      ctx.stdout(`${JSON.stringify(m.card, null, 2)}\n`);
      await m.close();
      return 0;
    }
    ctx.stderr(`usage: ${this.usage}\n`);
    return 2;
  },
};
