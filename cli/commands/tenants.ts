/** `vigie tenants list|add|assign-host`: tenants (towns) and which tenant a host belongs to; every change audited. */
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { unwrap } from '../../common/errors.js';
import { varPaths } from '../../common/identity.js';
import { AccessService } from '../../engine/access/index.js';
import { ALL_TENANTS, SqliteStore } from '../../engine/store/index.js';
import type { Command } from '../command.js';

const USAGE = `vigie tenants list [--json]
       vigie tenants add ID [--name NAME]
       vigie tenants assign-host HOST TENANT     (moves the host's sensors, alerts and detections)
  common: [--var DIR] [--as NAME]`;

export const command: Command = {
  summary: 'Tenants: list them with their hosts, declare one, assign a host to one',
  usage: USAGE,
  async run(ctx) {
    const [sub, ...rest] = ctx.argv;
    const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { var: { type: 'string', default: './var' }, as: { type: 'string' }, name: { type: 'string' }, json: { type: 'boolean' } } });
    if (sub !== 'list' && sub !== 'add' && sub !== 'assign-host') { ctx.stderr(`usage: ${USAGE}\n`); return 2; }
    const store = unwrap(SqliteStore.open(varPaths(values.var).store));
    const actor = values.as ?? `cli:${userInfo().username}`;
    const access = new AccessService(store);
    try {
      if (sub === 'list') {
        const rows = store.access.tenants(ALL_TENANTS);
        if (values.json) { for (const t of rows) ctx.stdout(`${JSON.stringify(t)}\n`); return 0; }
        if (rows.length === 0) { ctx.stdout('no tenants\n'); return 0; }
        ctx.stdout(`${'tenant'.padEnd(24)}${'name'.padEnd(28)}${'hosts'.padStart(6)}${'sensors'.padStart(9)}\n`);
        for (const t of rows) ctx.stdout(`${t.id.padEnd(24)}${t.name.slice(0, 27).padEnd(28)}${String(t.hosts).padStart(6)}${String(t.sensors).padStart(9)}\n`);
        return 0;
      }
      if (sub === 'add') {
        const id = positionals[0] ?? '';
        unwrap(access.createTenant(actor, id, values.name ?? id));
        ctx.stdout(`tenant ${id} added\n`);
        return 0;
      }
      const [host, tenant] = positionals;
      const n = unwrap(access.assignHost(actor, host ?? '', tenant ?? ''));
      ctx.stdout(`host ${host} (${n} sensor${n > 1 ? 's' : ''}) now in tenant ${tenant}; a running engine picks the new tenant up at its next start\n`);
      return 0;
    } finally {
      store.close();
    }
  },
};
