/**
 * `vigie rollout verify BUNDLE`: the checks a sensor runs on a bundle (the same code), with every
 * problem listed rather than only the first. Exit 0 when the bundle would be accepted, 1 if not.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VigieProblem } from '../../common/errors.js';
import { decodeFrame, inspectBundle } from '../../rollout/bundle/index.js';
import { ROOT_FILE } from '../../rollout/trust/index.js';
import type { CommandContext } from '../command.js';
import type { RolloutSubcommand } from '../commands/rollout.js';
import { DEFAULT_KEYS_DIR, loadTrust, parseOrUsage, problemLine } from './signing-helpers.js';

const USAGE = `usage: vigie rollout verify BUNDLE [--root ${DEFAULT_KEYS_DIR}/${ROOT_FILE}] [--floor VERSION]
  [--sensor-version V] [--engine-version V] [--feature-schema S]... [--json]`;

async function run(ctx: CommandContext, argv: string[]): Promise<number> {
  const parsed = parseOrUsage(ctx, {
    args: argv,
    allowPositionals: true,
    options: {
      root: { type: 'string', default: join(DEFAULT_KEYS_DIR, ROOT_FILE) },
      floor: { type: 'string' },
      'sensor-version': { type: 'string' },
      'engine-version': { type: 'string' },
      'feature-schema': { type: 'string', multiple: true },
      json: { type: 'boolean' },
    },
  }, USAGE);
  if (!parsed) return 2;
  const { values: v, positionals } = parsed;
  const file = positionals[0];
  if (file === undefined || positionals.length > 1) {
    ctx.stderr(`${USAGE}\n`);
    return 2;
  }
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    ctx.stderr(`vigie rollout verify: cannot read ${file}: ${(e as Error).message}\n`);
    return 1;
  }
  const nowMs = Date.now();
  const trust = loadTrust(v.root!, nowMs);
  let manifest: unknown;
  let problems: VigieProblem[];
  if (trust.ok) {
    const report = inspectBundle(bytes, trust.value, {
      nowMs, file,
      ...(v.floor !== undefined ? { floor: v.floor } : {}),
      ...(v['sensor-version'] !== undefined ? { sensorVersion: v['sensor-version'] } : {}),
      ...(v['engine-version'] !== undefined ? { engineVersion: v['engine-version'] } : {}),
      ...(v['feature-schema'] !== undefined ? { featureSchemas: v['feature-schema'] } : {}),
    });
    manifest = report.manifest?.signed;
    problems = report.problems;
  } else {
    // Without trust nothing can be accepted; still show what the bundle claims to be.
    const frame = decodeFrame(bytes, file);
    manifest = frame.ok ? frame.value.manifest.signed : undefined;
    problems = frame.ok ? [trust.error] : [trust.error, frame.error];
  }
  const verified = problems.length === 0;
  if (v.json) {
    ctx.stdout(`${JSON.stringify({ file, root: v.root, verified, manifest: manifest ?? null, problems })}\n`);
  } else {
    if (manifest !== undefined) {
      for (const [k, val] of Object.entries(manifest as Record<string, unknown>)) ctx.stdout(`${k.padEnd(14)} ${typeof val === 'string' ? val : JSON.stringify(val)}\n`);
    }
    for (const p of problems) ctx.stdout(`${problemLine(p)}\n`);
    ctx.stdout(verified ? `${file}: verified against ${v.root}\n` : `${file}: REFUSED, ${problems.length} problem(s)\n`);
  }
  return verified ? 0 : 1;
}

export const subcommand: RolloutSubcommand = {
  summary: 'verify a .vbundle as a sensor would, listing every problem',
  run,
};
