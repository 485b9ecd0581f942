/**
 * `vigie rollout status [ID]`: each rollout's state, ring reached, time in ring against the bake,
 * hosts on the new and the old version (from the controller's last tick) and the latest gate
 * results with their reasons; then the GA versions, tenant controls and the ring plan.
 */
import { renderStatus } from '../../rollout/service/index.js';
import { serviceCommand } from './service-command.js';

export const subcommand = serviceCommand('status', {
  summary: 'rollouts (state, ring, bake, hosts, gates), GA versions and tenant controls',
  usage: '[ID]',
  positionals: [0, 1],
  run: ({ service, positionals }) => service.status(positionals[0]),
  text: renderStatus,
  json: (s) => ({ ...s }),
});
