/**
 * `vigie rollout bundle`: signs a signature pack or an ONNX model into a .vbundle. Name, version
 * and feature schema come from the content itself (pack JSON, model card); every release key in
 * --keys signs. When root.json sits beside the keys, the new bundle is verified against it before
 * it is written, so a bundle the fleet would refuse is never produced.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VigieError } from '../../common/errors.js';
import { createBundle, describeContent, inspectBundle } from '../../rollout/bundle/index.js';
import type { ContentKind } from '../../rollout/bundle/index.js';
import { readRoleKeys, ROOT_FILE } from '../../rollout/trust/index.js';
import type { CommandContext } from '../command.js';
import type { RolloutSubcommand } from '../commands/rollout.js';
import { existsSync } from 'node:fs';
import { DEFAULT_KEYS_DIR, loadTrust, parseOrUsage, positiveInt, problemLine } from './signing-helpers.js';

export const DEFAULT_RANGE = '>=0.1.0 <1.0.0';
const USAGE = `usage: vigie rollout bundle --kind signatures|model --in FILE --out FILE.vbundle [--keys ${DEFAULT_KEYS_DIR}]
  [--expires-days 30] [--sensor-range "${DEFAULT_RANGE}"] [--engine-range "${DEFAULT_RANGE}"] [--json]`;

async function run(ctx: CommandContext, argv: string[]): Promise<number> {
  const parsed = parseOrUsage(ctx, {
    args: argv,
    options: {
      kind: { type: 'string' }, in: { type: 'string' }, out: { type: 'string' },
      keys: { type: 'string', default: DEFAULT_KEYS_DIR },
      'expires-days': { type: 'string' },
      'sensor-range': { type: 'string', default: DEFAULT_RANGE },
      'engine-range': { type: 'string', default: DEFAULT_RANGE },
      json: { type: 'boolean' },
    },
  }, USAGE);
  if (!parsed) return 2;
  const v = parsed.values;
  if ((v.kind !== 'signatures' && v.kind !== 'model') || !v.in || !v.out) {
    ctx.stderr(`${USAGE}\n`);
    return 2;
  }
  const kind: ContentKind = v.kind;
  const days = positiveInt(ctx, v['expires-days'], 'expires-days', 30);
  if (days === undefined) return 2;

  let payload: Uint8Array;
  try {
    payload = readFileSync(v.in);
  } catch (e) {
    ctx.stderr(`vigie rollout bundle: cannot read ${v.in}: ${(e as Error).message}\n`);
    return 1;
  }
  const content = describeContent(kind, payload, v.in);
  if (!content.ok) {
    for (const p of content.problems) ctx.stderr(`${problemLine(p)}\n`);
    return 1;
  }
  const keys = readRoleKeys(v.keys!, 'release');
  if (!keys.ok) {
    ctx.stderr(`${problemLine(keys.error)}\n`);
    return 1;
  }
  let bytes: Uint8Array;
  try {
    bytes = createBundle({ ...content.value, payload, sensorRange: v['sensor-range']!, engineRange: v['engine-range']!, expiresInDays: days }, keys.value);
  } catch (e) {
    if (!(e instanceof VigieError)) throw e;
    ctx.stderr(`${e.message}\n`);
    return 1;
  }
  const rootFile = join(v.keys!, ROOT_FILE);
  if (existsSync(rootFile)) {
    const trust = loadTrust(rootFile, Date.now());
    const problems = trust.ok ? inspectBundle(bytes, trust.value, { nowMs: Date.now(), file: v.out }).problems : [trust.error];
    if (problems.length > 0) {
      for (const p of problems) ctx.stderr(`${problemLine(p)}\n`);
      ctx.stderr(`vigie rollout bundle: the bundle would be refused by sensors pinned to ${rootFile}; not written\n`);
      return 1;
    }
  }
  const tmp = `${v.out}.tmp-${process.pid}`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, v.out);
  const summary = { out: v.out, ...content.value, bytes: bytes.length, payloadBytes: payload.length, signatures: keys.value.length };
  ctx.stdout(v.json ? `${JSON.stringify(summary)}\n` : `${v.out}: ${kind} ${content.value.name} ${content.value.version} (${content.value.featureSchema}), ${payload.length} bytes, signed by ${keys.value.length} release key(s)\n`);
  return 0;
}

export const subcommand: RolloutSubcommand = {
  summary: 'sign a signature pack or an ONNX model into a .vbundle with the release keys',
  run,
};
