/**
 * `vigie rollout SUBCOMMAND`: signed bundles, pre-release validation, staged rollouts in canary
 * rings, and the fleet simulation that proves them. Each subcommand is one file in cli/rollout/,
 * loaded lazily.
 */
import type { Command, CommandContext } from '../command.js';

export interface RolloutSubcommand {
  summary: string;
  run(ctx: CommandContext, argv: string[]): Promise<number>;
}

const SUBCOMMANDS: Record<string, () => Promise<{ subcommand: RolloutSubcommand }>> = {
  simulate: () => import('../rollout/simulate.js'),
  keys: () => import('../rollout/keys.js'),
  bundle: () => import('../rollout/bundle.js'),
  verify: () => import('../rollout/verify.js'),
  validate: () => import('../rollout/validate.js'),
  audit: () => import('../rollout/audit.js'),
  install: () => import('../rollout/install.js'),
  create: () => import('../rollout/create.js'),
  start: () => import('../rollout/start.js'),
  status: () => import('../rollout/status.js'),
  promote: () => import('../rollout/promote.js'),
  pause: () => import('../rollout/pause.js'),
  resume: () => import('../rollout/resume.js'),
  halt: () => import('../rollout/halt.js'),
  rollback: () => import('../rollout/rollback.js'),
  pin: () => import('../rollout/pin.js'),
  tenant: () => import('../rollout/tenant.js'),
};

export const command: Command = {
  summary: 'staged rollout of signature packs and models: keys, bundles, validate, rings, gates, simulate',
  subcommands: true,
  get usage(): string {
    return `vigie rollout ${Object.keys(SUBCOMMANDS).join('|')} ... (vigie rollout SUBCOMMAND --help)`;
  },
  async run(ctx: CommandContext): Promise<number> {
    const [sub, ...rest] = ctx.argv;
    const load = sub === undefined ? undefined : SUBCOMMANDS[sub];
    if (!load) {
      ctx.stderr(`${sub === undefined ? '' : `vigie rollout: unknown subcommand "${sub}"\n`}usage: ${command.usage}\n`);
      for (const [name, l] of Object.entries(SUBCOMMANDS)) ctx.stderr(`  ${name.padEnd(10)} ${(await l()).subcommand.summary}\n`);
      return 2;
    }
    return (await load()).subcommand.run(ctx, rest);
  },
};
