/**
 * `vigie rollout validate BUNDLE`: pre-release validation with the sensor's and the engine's own
 * code (rollout/validate). Prints a table of checks (progress on stderr); with --json the report
 * follows as one JSON line, the last on stdout. Exit 0 passed, 1 blocked, 2 usage.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { varPaths } from '../../common/identity.js';
import { ROOT_FILE } from '../../rollout/trust/index.js';
import {
  VALIDATE_DEFAULTS, contentFromBytes, currentFromBytes, renderReport, validateContent, type ValidateOptions,
} from '../../rollout/validate/index.js';
import { SENSOR_VERSION } from '../../sensors/agent/agent.js';
import type { CommandContext } from '../command.js';
import type { RolloutSubcommand } from '../commands/rollout.js';
import { ProgressBar } from '../progress-bar.js';
import { DEFAULT_KEYS_DIR, loadTrust, parseOrUsage, positiveInt } from './signing-helpers.js';

const DEFAULT_ARCHIVE = varPaths('./var').archive;

const USAGE = `usage: vigie rollout validate BUNDLE|PACK.json|MODEL.onnx [--root ${DEFAULT_KEYS_DIR}/${ROOT_FILE}]
  [--archive ${DEFAULT_ARCHIVE}] [--current PACK_OR_BUNDLE] [--time-limit-ms ${VALIDATE_DEFAULTS.timeLimitMs}]
  [--memory-mb ${VALIDATE_DEFAULTS.memoryMb}] [--fuzz ${VALIDATE_DEFAULTS.fuzz}] [--seed ${VALIDATE_DEFAULTS.seed}]
  [--max-events ${VALIDATE_DEFAULTS.maxEvents}] [--json]`;

async function run(ctx: CommandContext, argv: string[]): Promise<number> {
  const parsed = parseOrUsage(ctx, {
    args: argv,
    allowPositionals: true,
    options: {
      root: { type: 'string', default: join(DEFAULT_KEYS_DIR, ROOT_FILE) },
      archive: { type: 'string', default: DEFAULT_ARCHIVE },
      current: { type: 'string' },
      'time-limit-ms': { type: 'string' },
      'memory-mb': { type: 'string' },
      fuzz: { type: 'string' },
      seed: { type: 'string' },
      'max-events': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  }, USAGE);
  if (!parsed) return 2;
  const { values: v, positionals } = parsed;
  const file = positionals[0];
  if (v.help || file === undefined || positionals.length > 1) {
    ctx.stderr(`${USAGE}\n`);
    return v.help ? 0 : 2;
  }
  const timeLimitMs = positiveInt(ctx, v['time-limit-ms'], 'time-limit-ms', VALIDATE_DEFAULTS.timeLimitMs);
  const memoryMb = positiveInt(ctx, v['memory-mb'], 'memory-mb', VALIDATE_DEFAULTS.memoryMb);
  const maxEvents = positiveInt(ctx, v['max-events'], 'max-events', VALIDATE_DEFAULTS.maxEvents);
  const fuzz = v.fuzz === undefined ? VALIDATE_DEFAULTS.fuzz : Number(v.fuzz);
  const seed = v.seed === undefined ? VALIDATE_DEFAULTS.seed : Number(v.seed);
  if (!Number.isSafeInteger(fuzz) || fuzz < 0) ctx.stderr(`--fuzz must be a whole number of inputs (0 skips the fuzz pass), got "${v.fuzz}"\n`);
  if (!Number.isSafeInteger(seed)) ctx.stderr(`--seed must be an integer, got "${v.seed}"\n`);
  if (timeLimitMs === undefined || memoryMb === undefined || maxEvents === undefined || !Number.isSafeInteger(fuzz) || fuzz < 0 || !Number.isSafeInteger(seed)) {
    ctx.stderr(`${USAGE}\n`);
    return 2;
  }

  const bytes = readOrSay(ctx, file);
  if (!bytes) return 2;
  const nowMs = Date.now();
  const input = contentFromBytes(file, bytes, { trust: loadTrust(v.root!, nowMs), nowMs, sensorVersion: SENSOR_VERSION });
  let current;
  if (v.current !== undefined) {
    const currentBytes = readOrSay(ctx, v.current);
    if (!currentBytes) return 2;
    const c = currentFromBytes(v.current, currentBytes);
    if (!c.ok) {
      ctx.stderr(`vigie rollout validate: --current ${v.current}: ${c.error.message}\n`);
      return 2;
    }
    current = c.value;
  }

  const bar = new ProgressBar();
  let shown = '';
  const startedAt = performance.now();
  // Redrawn every 5% on a terminal, a line every 25% on a pipe; nothing for a run of a few seconds.
  const steps = process.stderr.isTTY ? 20 : 4;
  const options: Partial<ValidateOptions> = {
    archiveDir: v.archive!, timeLimitMs, memoryMb, maxEvents, fuzz, seed, nowMs, saveDir: tmpdir(),
    onProgress: (stage, done, total) => {
      const step = `${stage}:${Math.floor((steps * done) / Math.max(1, total))}`;
      if (performance.now() - startedAt < 2000 || (step === shown && done !== total)) return;
      shown = step;
      bar.update(stage.padEnd(7), done, total);
      if (done === total) bar.done();
    },
  };
  const report = input.ok ? await validateContent(input.content, current, options) : input.report;
  ctx.stdout(renderReport(report));
  // Last on stdout, one line: scripts take the last line.
  if (v.json) ctx.stdout(`${JSON.stringify(report)}\n`);
  return report.blocked ? 1 : 0;
}

function readOrSay(ctx: CommandContext, file: string): Uint8Array | undefined {
  try {
    return readFileSync(file);
  } catch (e) {
    ctx.stderr(`vigie rollout validate: cannot read ${file}: ${(e as Error).message}\n`);
    return undefined;
  }
}

export const subcommand: RolloutSubcommand = {
  summary: 'pre-release validation: schema, compile, replay against the archive, fuzz; blocks on crash, timeout, detection or CPU jump',
  run,
};
