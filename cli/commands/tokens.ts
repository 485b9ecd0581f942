/** `vigie tokens list|issue|revoke`: API tokens (stored as sha256; the token is printed once, at issue). */
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { unwrap, VigieError } from '../../common/errors.js';
import { varPaths } from '../../common/identity.js';
import { AccessService } from '../../engine/access/index.js';
import { SqliteStore, type TokenRecord } from '../../engine/store/index.js';
import type { Command } from '../command.js';

const USAGE = `vigie tokens list [--user NAME] [--json]
       vigie tokens issue USER [--label TEXT] [--days N]
       vigie tokens revoke ID
  common: [--var DIR] [--as NAME]`;

const iso = (ms: number | null) => (ms === null ? '—' : new Date(ms).toISOString().slice(0, 19));
const line = (t: TokenRecord) => `${t.id.padEnd(14)}${t.userName.padEnd(20)}${iso(t.createdMs).padEnd(21)}${iso(t.expiresMs).padEnd(21)}${(t.revokedMs ? `revoked ${iso(t.revokedMs)}` : 'active').padEnd(29)}${t.label}\n`;

export const command: Command = {
  summary: 'API tokens: issue (shown once), list, revoke',
  usage: USAGE,
  async run(ctx) {
    const [sub, ...rest] = ctx.argv;
    const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { var: { type: 'string', default: './var' }, as: { type: 'string' }, user: { type: 'string' }, label: { type: 'string' }, days: { type: 'string' }, json: { type: 'boolean' } } });
    if (sub !== 'list' && sub !== 'issue' && sub !== 'revoke') { ctx.stderr(`usage: ${USAGE}\n`); return 2; }
    const store = unwrap(SqliteStore.open(varPaths(values.var).store));
    const actor = values.as ?? `cli:${userInfo().username}`;
    const access = new AccessService(store);
    try {
      if (sub === 'list') {
        const rows = store.access.tokens(values.user);
        if (values.json) { for (const t of rows) ctx.stdout(`${JSON.stringify(t)}\n`); return 0; }
        ctx.stdout(`${'id'.padEnd(14)}${'user'.padEnd(20)}${'created (UTC)'.padEnd(21)}${'expires'.padEnd(21)}${'status'.padEnd(29)}label\n`);
        for (const t of rows) ctx.stdout(line(t));
        return 0;
      }
      if (sub === 'issue') {
        const days = values.days === undefined ? undefined : Number(values.days);
        if (days !== undefined && !(days > 0 && days <= 3660)) throw new VigieError('VIGIE_CONFIG_INVALID', '--days must be in (0, 3660]', { field: 'days' });
        const now = Date.now();
        const { token, record } = unwrap(access.issueToken(actor, positionals[0] ?? '', values.label ?? '', days === undefined ? null : now + days * 86_400_000, now));
        ctx.stdout(values.json ? `${JSON.stringify({ token, record })}\n`
          : `token ${record.id} for ${record.userName}${record.expiresMs ? `, expires ${iso(record.expiresMs)}` : ''}. It is shown this once; only its sha256 is kept:\n${token}\n`);
        return 0;
      }
      const t = unwrap(access.revokeToken(actor, positionals[0] ?? ''));
      ctx.stdout(`token ${t.id} of ${t.userName} revoked\n`);
      return 0;
    } finally {
      store.close();
    }
  },
};
