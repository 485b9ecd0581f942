/**
 * `vigie rollout tenant --tenant T [--pause|--resume] [--delay-hours N] [--one-behind|--latest]`:
 * a tenant's controls over what its hosts take. --pause: nothing new; --delay-hours N: versions
 * only N hours after they became GA, and no canary hosts (0 removes the delay); --one-behind: the
 * GA version before the latest; --latest undoes it. With no change flag, shows the controls.
 */
import { isValidSensorId } from '../../common/identity.js';
import { describeControl, type TenantChange } from '../../rollout/service/index.js';
import { serviceCommand } from './service-command.js';

export const subcommand = serviceCommand('tenant', {
  summary: 'per-tenant controls: pause, delay behind GA, stay one version behind',
  usage: '--tenant T [--pause | --resume] [--delay-hours N] [--one-behind | --latest]',
  options: { tenant: { type: 'string' }, pause: { type: 'boolean' }, resume: { type: 'boolean' }, 'delay-hours': { type: 'string' }, 'one-behind': { type: 'boolean' }, latest: { type: 'boolean' } },
  check: (v) => {
    if (typeof v['tenant'] !== 'string' || !isValidSensorId(v['tenant'])) return '--tenant must be 1-128 of A-Z a-z 0-9 . _ -';
    if (v['pause'] && v['resume']) return '--pause and --resume contradict each other';
    if (v['one-behind'] && v['latest']) return '--one-behind and --latest contradict each other';
    const d = v['delay-hours'];
    if (d !== undefined && !(/^[0-9]+(\.[0-9]+)?$/.test(d as string) && Number(d) <= 24 * 365)) return '--delay-hours must be a number of hours from 0 to 8760';
    return undefined;
  },
  run: ({ service, values, actor }) => {
    const change: TenantChange = {
      ...(values['pause'] ? { paused: true } : values['resume'] ? { paused: false } : {}),
      ...(values['delay-hours'] !== undefined ? { delayHours: Number(values['delay-hours']) } : {}),
      ...(values['one-behind'] ? { oneBehind: true } : values['latest'] ? { oneBehind: false } : {}),
    };
    const tenant = values['tenant'] as string;
    if (Object.keys(change).length === 0) {
      const shown = service.status();
      return shown.ok ? { ok: true, value: shown.value.tenants.find((t) => t.tenant === tenant) ?? { tenant } } : shown;
    }
    return service.tenant(tenant, change, actor);
  },
  text: (t) => `tenant ${t.tenant}: ${describeControl(t)}\n`,
  json: (t) => ({ tenant: t }),
});
