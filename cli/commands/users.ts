/** `vigie users list|add|role|grant|ungrant|disable`: users, their role and tenants; every change audited. */
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { unwrap, type Result } from '../../common/errors.js';
import { varPaths } from '../../common/identity.js';
import { AccessService, ROLE_LABELS, ROLES } from '../../engine/access/index.js';
import { SqliteStore, type UserRecord } from '../../engine/store/index.js';
import type { Command } from '../command.js';

const USAGE = `vigie users list [--json]
       vigie users add NAME --role ${ROLES.join('|')} [--tenants T1,T2]
       vigie users role NAME ROLE
       vigie users grant NAME TENANT | ungrant NAME TENANT
       vigie users disable NAME        (also revokes all their tokens)
  common: [--var DIR] [--as NAME]`;

const line = (u: UserRecord) => `${u.name.padEnd(20)}${u.role.padEnd(18)}${(u.role === 'tenant_analyst' ? u.tenants.join(',') || '(none)' : 'all').padEnd(30)}${u.disabledMs ? `disabled ${new Date(u.disabledMs).toISOString()}` : ''}\n`;

export const command: Command = {
  summary: 'Users and roles: tenant analyst, service analyst, release manager, administrator',
  usage: USAGE,
  async run(ctx) {
    const [sub, ...rest] = ctx.argv;
    const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { var: { type: 'string', default: './var' }, as: { type: 'string' }, role: { type: 'string' }, tenants: { type: 'string' }, json: { type: 'boolean' } } });
    if (!sub || !['list', 'add', 'role', 'grant', 'ungrant', 'disable'].includes(sub)) { ctx.stderr(`usage: ${USAGE}\n`); return 2; }
    const store = unwrap(SqliteStore.open(varPaths(values.var).store));
    const actor = values.as ?? `cli:${userInfo().username}`;
    const access = new AccessService(store);
    const [name = '', arg = ''] = positionals;
    const done = (r: Result<UserRecord>) => { const u = unwrap(r); ctx.stdout(values.json ? `${JSON.stringify(u)}\n` : line(u)); return 0; };
    try {
      switch (sub) {
        case 'list': {
          const users = store.access.users();
          if (values.json) { for (const u of users) ctx.stdout(`${JSON.stringify(u)}\n`); return 0; }
          ctx.stdout(`${'user'.padEnd(20)}${'role'.padEnd(18)}${'tenants'.padEnd(30)}\n`);
          for (const u of users) ctx.stdout(line(u));
          ctx.stdout(`roles: ${ROLES.map((r) => `${r} (${ROLE_LABELS[r]})`).join(', ')}\n`);
          return 0;
        }
        case 'add': return done(access.createUser(actor, name, values.role ?? '', values.tenants ? values.tenants.split(',').map((t) => t.trim()).filter(Boolean) : []));
        case 'role': return done(access.setRole(actor, name, arg));
        case 'grant': return done(access.grant(actor, name, arg));
        case 'ungrant': return done(access.ungrant(actor, name, arg));
        default: return done(access.disableUser(actor, name));
      }
    } finally {
      store.close();
    }
  },
};
