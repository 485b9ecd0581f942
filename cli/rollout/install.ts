/**
 * `vigie rollout install BUNDLE [--root ...]`: declares the version the fleet runs today for the
 * bundle's kind (the generally available base a rollout starts from). The bundle is verified
 * against the pinned root and copied into the bundle directory.
 */
import { join } from 'node:path';
import { DEFAULT_KEYS_DIR } from '../../rollout/service/index.js';
import { ROOT_FILE } from '../../rollout/trust/index.js';
import { serviceCommand } from './service-command.js';

const DEFAULT_ROOT = join(DEFAULT_KEYS_DIR, ROOT_FILE);

export const subcommand = serviceCommand('install', {
  summary: 'declare the version the fleet runs now (GA base) for a kind, from its signed bundle',
  usage: `BUNDLE [--root ${DEFAULT_ROOT}]`,
  options: { root: { type: 'string', default: DEFAULT_ROOT } },
  positionals: [1, 1],
  createsStore: true,
  run: ({ service, values, positionals, actor }) => service.install(positionals[0]!, { root: values['root'] as string, actor }),
  text: (b) => `${b.kind} ${b.name} ${b.version} installed as generally available (payload ${b.sha256.slice(0, 16)}..., ${b.path})\n`,
  json: (b) => ({ bundle: { ...b } }),
});
