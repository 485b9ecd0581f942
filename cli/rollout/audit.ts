/**
 * `vigie rollout audit`: lists the rollout audit log and, with --verify, checks its hash chain
 * from the first entry (exit 1 naming the first broken seq).
 */
import { existsSync } from 'node:fs';
import { SqliteAuditSink, verifyAuditChain } from '../../rollout/audit/index.js';
import type { CommandContext } from '../command.js';
import type { RolloutSubcommand } from '../commands/rollout.js';
import { DEFAULT_AUDIT_DB, parseOrUsage, positiveInt, problemLine } from './signing-helpers.js';

const USAGE = `usage: vigie rollout audit [--db ${DEFAULT_AUDIT_DB}] [--rollout ID] [--limit N] [--verify] [--json]`;

async function run(ctx: CommandContext, argv: string[]): Promise<number> {
  const parsed = parseOrUsage(ctx, {
    args: argv,
    options: {
      db: { type: 'string', default: DEFAULT_AUDIT_DB },
      rollout: { type: 'string' },
      limit: { type: 'string' },
      verify: { type: 'boolean' },
      json: { type: 'boolean' },
    },
  }, USAGE);
  if (!parsed) return 2;
  const v = parsed.values;
  const limit = v.limit === undefined ? undefined : positiveInt(ctx, v.limit, 'limit', 1);
  if (v.limit !== undefined && limit === undefined) return 2;
  // Reading must not create an empty log where the operator expected one.
  if (!existsSync(v.db!)) {
    ctx.stderr(`vigie rollout audit: no audit log at ${v.db}\n`);
    return 1;
  }
  const opened = SqliteAuditSink.open(v.db!);
  if (!opened.ok) {
    ctx.stderr(`${problemLine(opened.error)}\n`);
    return 1;
  }
  const sink = opened.value;
  try {
    const listed = sink.entries({ ...(v.rollout !== undefined ? { rollout: v.rollout } : {}), ...(limit !== undefined ? { limit } : {}) });
    // The chain is verified over the whole log, whatever the listing filters.
    const check = v.verify ? verifyAuditChain(sink.entries(), { file: v.db! }) : undefined;
    if (v.json) {
      const verified = check === undefined ? undefined : check.ok ? { ok: true, ...check.value } : { ok: false, error: check.error };
      ctx.stdout(`${JSON.stringify({ db: v.db, entries: listed, ...(verified ? { verified } : {}) })}\n`);
    } else {
      for (const e of listed) {
        ctx.stdout(`${String(e.seq).padStart(6)} ${e.at} ${e.actor} ${e.action}${e.rollout ? ` [${e.rollout}]` : ''} ${JSON.stringify(e.detail)}\n`);
      }
      if (check?.ok) ctx.stdout(`chain verified: ${check.value.count} entries, head ${check.value.hash.slice(0, 16)}\n`);
      if (check && !check.ok) ctx.stdout(`${problemLine(check.error)}\n`);
    }
    return check && !check.ok ? 1 : 0;
  } finally {
    sink.close();
  }
}

export const subcommand: RolloutSubcommand = {
  summary: 'list the rollout audit log; --verify checks its hash chain',
  run,
};
