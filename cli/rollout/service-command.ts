/**
 * What `vigie rollout install|create|start|status|promote|pause|resume|halt|rollback|pin|tenant`
 * share: the store flags (--db, --bundles), the actor (--actor, else $USER), one open of the
 * RolloutService per command, and the output contract: exit 0 done, 1 refused (a typed problem
 * on stderr), 2 usage; with --json one JSON object, last on stdout, for success and refusal alike.
 */
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { ParseArgsConfig } from 'node:util';
import type { Result } from '../../common/errors.js';
import type { Rollout } from '../../rollout/controller/rollout.js';
import { DEFAULT_BUNDLE_DIR, DEFAULT_ROLLOUT_DB, RolloutService } from '../../rollout/service/index.js';
import type { CommandContext } from '../command.js';
import type { RolloutSubcommand } from '../commands/rollout.js';
import { parseOrUsage, problemLine } from './signing-helpers.js';

type Options = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | string[] | undefined>;

export interface ServiceCall {
  service: RolloutService;
  values: Values;
  positionals: string[];
  actor: string;
}

export interface ServiceCommandSpec<T> {
  summary: string;
  /** The part of the usage line after `vigie rollout NAME`. */
  usage: string;
  options?: Options;
  /** Positional arguments: [min, max]. */
  positionals?: [number, number];
  /** Install and create may make a new store; the others refuse a missing one. */
  createsStore?: boolean;
  /** A usage problem with the flags (exit 2), or undefined. */
  check?(values: Values, positionals: string[]): string | undefined;
  run(call: ServiceCall): Result<T> | Promise<Result<T>>;
  text(value: T): string;
  json(value: T): Record<string, unknown>;
}

export function actorOf(flag: string | undefined): string {
  if (flag) return flag;
  if (process.env['USER']) return process.env['USER'];
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** A rollout as the CLI shows it: every field but the baselines (counters internal to the live controller). */
export function rolloutJson(r: Rollout): Record<string, unknown> {
  const { baselineNew: _n, baselineOld: _o, ...rest } = r;
  return rest;
}

export function serviceCommand<T>(name: string, spec: ServiceCommandSpec<T>): RolloutSubcommand {
  const usage = `usage: vigie rollout ${name} ${spec.usage} [--db ${DEFAULT_ROLLOUT_DB}] [--bundles ${DEFAULT_BUNDLE_DIR}] [--actor NAME] [--json]`;
  return {
    summary: spec.summary,
    async run(ctx: CommandContext, argv: string[]): Promise<number> {
      const parsed = parseOrUsage(ctx, {
        args: argv,
        allowPositionals: true,
        options: {
          ...spec.options,
          db: { type: 'string', default: DEFAULT_ROLLOUT_DB }, bundles: { type: 'string', default: DEFAULT_BUNDLE_DIR },
          actor: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' },
        },
      }, usage);
      if (!parsed) return 2;
      const values = parsed.values as Values;
      if (values['help']) {
        ctx.stdout(`${usage}\n`);
        return 0;
      }
      const [min, max] = spec.positionals ?? [0, 0];
      const problem = parsed.positionals.length < min || parsed.positionals.length > max ? 'wrong number of arguments' : spec.check?.(values, parsed.positionals);
      if (problem) {
        ctx.stderr(`vigie rollout ${name}: ${problem}\n${usage}\n`);
        return 2;
      }
      const json = values['json'] === true;
      const refuse = (r: Result<never>): number => {
        if (r.ok) return 0;
        ctx.stderr(`${problemLine(r.error)}\n`);
        if (json) ctx.stdout(`${JSON.stringify({ ok: false, error: r.error })}\n`);
        return 1;
      };
      const db = values['db'] as string;
      if (!spec.createsStore && db !== ':memory:' && !existsSync(db)) {
        return refuse({ ok: false, error: { code: 'VIGIE_STORE_IO', message: `no rollout store at ${db} (vigie rollout install creates it)`, location: { file: db } } });
      }
      const opened = RolloutService.open({ db, bundleDir: values['bundles'] as string });
      if (!opened.ok) return refuse(opened);
      try {
        const r = await spec.run({ service: opened.value, values, positionals: parsed.positionals, actor: actorOf(values['actor'] as string | undefined) });
        if (!r.ok) return refuse(r);
        ctx.stdout(json ? `${JSON.stringify({ ok: true, ...spec.json(r.value) })}\n` : spec.text(r.value));
        return 0;
      } finally {
        opened.value.close();
      }
    },
  };
}

/** `vigie rollout ACTION ID [--reason TEXT]`: one transition of one rollout. */
export function rolloutAction(action: string, summary: string, act: (s: RolloutService, id: string, actor: string, reason: string | undefined) => Result<Rollout>): RolloutSubcommand {
  return serviceCommand(action, {
    summary,
    usage: 'ID [--reason TEXT]',
    options: { reason: { type: 'string' } },
    positionals: [1, 1],
    run: ({ service, values, positionals, actor }) => act(service, positionals[0]!, actor, values['reason'] as string | undefined),
    text: (r) => `${r.id}: ${r.kind} ${r.name} ${r.version} is ${r.state}${r.ring >= 0 && r.state !== 'rolled_back' ? ` (ring ${r.ring + 1})` : ''}${r.haltReason && r.state === 'rolled_back' ? `: ${r.haltReason}; hosts go back to ${r.previous}` : ''}\n`,
    json: (r) => ({ rollout: rolloutJson(r) }),
  });
}
