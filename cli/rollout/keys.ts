/**
 * `vigie rollout keys init`: a fresh trust root. Writes root.json (the signed root that sensors
 * pin) and one private key file per key (mode 0600). Refuses to overwrite keys unless --force.
 */
import { existingKeyFiles, initKeys, ROLE_NAMES } from '../../rollout/trust/index.js';
import type { RoleName } from '../../rollout/trust/index.js';
import type { CommandContext } from '../command.js';
import type { RolloutSubcommand } from '../commands/rollout.js';
import { DEFAULT_KEYS_DIR, parseOrUsage, positiveInt } from './signing-helpers.js';

const USAGE = `usage: vigie rollout keys init [--dir ${DEFAULT_KEYS_DIR}] [--root-keys 3 --root-threshold 2]
  [--release-keys 2 --release-threshold 1] [--directive-keys 1 --directive-threshold 1] [--expires-days 365] [--force] [--json]`;

const DEFAULTS: Record<RoleName, { keys: number; threshold: number }> = {
  root: { keys: 3, threshold: 2 },
  release: { keys: 2, threshold: 1 },
  directive: { keys: 1, threshold: 1 },
};

async function run(ctx: CommandContext, argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  if (action !== 'init') {
    ctx.stderr(`${USAGE}\n`);
    return 2;
  }
  const parsed = parseOrUsage(ctx, {
    args: rest,
    options: {
      dir: { type: 'string', default: DEFAULT_KEYS_DIR },
      'root-keys': { type: 'string' }, 'root-threshold': { type: 'string' },
      'release-keys': { type: 'string' }, 'release-threshold': { type: 'string' },
      'directive-keys': { type: 'string' }, 'directive-threshold': { type: 'string' },
      'expires-days': { type: 'string' },
      force: { type: 'boolean' },
      json: { type: 'boolean' },
    },
  }, USAGE);
  if (!parsed) return 2;
  const v = parsed.values as Record<string, string | boolean | undefined>;
  const dir = v.dir as string;
  const counts = {} as Record<RoleName, { keys: number; threshold: number }>;
  for (const role of ROLE_NAMES) {
    const keys = positiveInt(ctx, v[`${role}-keys`] as string | undefined, `${role}-keys`, DEFAULTS[role].keys);
    const threshold = positiveInt(ctx, v[`${role}-threshold`] as string | undefined, `${role}-threshold`, Math.min(DEFAULTS[role].threshold, keys ?? 1));
    if (keys === undefined || threshold === undefined) return 2;
    if (threshold > keys || keys > 16) {
      ctx.stderr(`--${role}-threshold must be at most --${role}-keys (${keys}), and keys at most 16\n`);
      return 2;
    }
    counts[role] = { keys, threshold };
  }
  const days = positiveInt(ctx, v['expires-days'] as string | undefined, 'expires-days', 365);
  if (days === undefined) return 2;

  const existing = existingKeyFiles(dir);
  if (existing.length > 0 && !v.force) {
    ctx.stderr(`vigie rollout keys init: ${dir} already holds ${existing.join(', ')}; refusing to overwrite (--force replaces them, and every sensor pinned to the old root must be re-pinned)\n`);
    return 1;
  }
  const { root, rootFile, expires } = initKeys({ dir, counts, expiresInDays: days, replace: existing });

  const summary = { dir, root: rootFile, version: 1, expires, roles: root.signed.roles };
  if (v.json) ctx.stdout(`${JSON.stringify(summary)}\n`);
  else {
    ctx.stdout(`${rootFile}: root v1, expires ${expires} (pin this file in sensors)\n`);
    for (const role of ROLE_NAMES) {
      const r = root.signed.roles[role];
      ctx.stdout(`  ${role.padEnd(9)} ${r.threshold} of ${r.keyids.length}: ${r.keyids.map((id) => id.slice(0, 12)).join(' ')}\n`);
    }
    ctx.stdout(`private keys: ${dir}/{root,release,directive}-N.key (mode 0600; keep root keys offline)\n`);
  }
  return 0;
}

export const subcommand: RolloutSubcommand = {
  summary: 'create the trust root: root.json (pinned by sensors) and the root, release and directive keys',
  run,
};
