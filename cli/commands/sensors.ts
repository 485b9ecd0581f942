import { parseArgs } from 'node:util';
import { varPaths } from '../../common/identity.js';
import { unwrap } from '../../common/errors.js';
import { SqliteStore } from '../../engine/store/index.js';
import type { Command } from '../command.js';

export const command: Command = {
  summary: 'List enrolled sensors with their last heartbeat (spool, drops)',
  usage: 'vigie sensors [--var DIR] [--json]',
  async run(ctx) {
    const { values } = parseArgs({ args: ctx.argv, options: { var: { type: 'string', default: './var' }, json: { type: 'boolean' } } });
    const store = unwrap(SqliteStore.open(varPaths(values.var!).store));
    try {
      const status = new Map(store.statuses().map((s) => [s.sensorId, s]));
      const rows = store.sensors().map((s) => ({ ...s, status: status.get(s.sensorId) ?? null }));
      if (values.json) {
        ctx.stdout(JSON.stringify(rows) + '\n');
        return 0;
      }
      ctx.stdout('sensor                          tenant        state    last seen              collected    dropped  waiting\n');
      for (const r of rows) {
        const st = r.status;
        const state = r.revokedMs !== null ? 'revoked' : st ? 'seen' : 'never';
        ctx.stdout(`${r.sensorId.padEnd(32)}${r.tenant.padEnd(14)}${state.padEnd(9)}${(st ? new Date(st.lastSeenMs).toISOString() : '-').padEnd(23)}` +
          `${String(st?.eventsCollected ?? '-').padStart(9)}  ${String(st?.eventsDropped ?? '-').padStart(9)}  ${st ? `${st.spoolBatches ?? 0} frames` : '-'}\n`);
      }
      return 0;
    } finally {
      store.close();
    }
  },
};
