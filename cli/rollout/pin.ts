/**
 * `vigie rollout pin --tenant T --kind K --version V` (or `--clear`): the tenant's hosts run that
 * version of the kind whatever the rollouts do, until unpinned. The version must be installed or
 * rolling out (not rolled back).
 */
import { isValidSensorId } from '../../common/identity.js';
import type { ContentKind } from '../../rollout/bundle/index.js';
import { describeControl } from '../../rollout/service/index.js';
import { serviceCommand } from './service-command.js';

export const subcommand = serviceCommand('pin', {
  summary: 'pin a tenant to a version of a kind (--clear unpins)',
  usage: '--tenant T --kind signatures|model (--version V | --clear)',
  options: { tenant: { type: 'string' }, kind: { type: 'string' }, version: { type: 'string' }, clear: { type: 'boolean' } },
  check: (v) => {
    if (typeof v['tenant'] !== 'string' || !isValidSensorId(v['tenant'])) return '--tenant must be 1-128 of A-Z a-z 0-9 . _ -';
    if (v['kind'] !== 'signatures' && v['kind'] !== 'model') return '--kind must be signatures or model';
    if ((v['version'] === undefined) === (v['clear'] !== true)) return 'give --version V or --clear';
    return undefined;
  },
  run: ({ service, values, actor }) => service.tenant(values['tenant'] as string, {
    pin: { kind: values['kind'] as ContentKind, version: values['clear'] ? undefined : (values['version'] as string) },
  }, actor),
  text: (t) => `tenant ${t.tenant}: ${describeControl(t)}\n`,
  json: (t) => ({ tenant: t }),
});
