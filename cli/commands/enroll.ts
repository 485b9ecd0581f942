import { parseArgs } from 'node:util';
import { loadOrCreateEngineKey, varPaths, writeJsonAtomic } from '../../common/identity.js';
import { unwrap } from '../../common/errors.js';
import { enrollSensor } from '../../engine/enrollment.js';
import { SqliteStore } from '../../engine/store/index.js';
import type { Command } from '../command.js';

export const command: Command = {
  summary: 'Create a sensor identity and register its key with the engine, or revoke one',
  usage: 'vigie enroll --tenant T [--host NAME] [--id ID] [--site SITE] [--group HW_OS_GROUP] [--endpoint tcp://HOST:PORT] [--out FILE] [--var DIR]\n' +
    '       vigie enroll --revoke ID [--var DIR]',
  async run(ctx) {
    const { values } = parseArgs({
      args: ctx.argv,
      options: {
        tenant: { type: 'string' }, host: { type: 'string' }, id: { type: 'string' }, endpoint: { type: 'string' },
        out: { type: 'string' }, var: { type: 'string', default: './var' }, revoke: { type: 'string' }, site: { type: 'string' }, group: { type: 'string' },
      },
    });
    const paths = varPaths(values.var!);
    const store = unwrap(SqliteStore.open(paths.store));
    try {
      if (values.revoke) {
        if (!store.revoke(values.revoke, Date.now())) {
          ctx.stderr(`vigie enroll: no enrolled, unrevoked sensor "${values.revoke}"\n`);
          return 1;
        }
        ctx.stdout(`revoked ${values.revoke}: its next connection is refused\n`);
        return 0;
      }
      if (!values.tenant) {
        ctx.stderr('vigie enroll: --tenant is required\n');
        return 2;
      }
      const engineKey = unwrap(loadOrCreateEngineKey(paths.engineKey));
      const identity = enrollSensor(store, {
        tenant: values.tenant,
        ...(values.host ? { host: values.host } : {}),
        ...(values.id ? { sensorId: values.id } : {}),
        ...(values.site ? { site: values.site } : {}),
        ...(values.group ? { group: values.group } : {}),
        engineEndpoint: values.endpoint ?? 'tcp://127.0.0.1:7470',
        enginePublicKey: engineKey.publicKey,
      });
      const out = values.out ?? paths.sensorIdentity(identity.sensorId);
      writeJsonAtomic(out, identity);
      const labels = [values.site && `site ${values.site}`, values.group && `group ${values.group}`].filter(Boolean).join(', ');
      ctx.stdout(`enrolled ${identity.sensorId} (tenant ${identity.tenant}${labels ? `, ${labels}` : ''}); identity written to ${out} (keep it secret)\n`);
      return 0;
    } finally {
      store.close();
    }
  },
};
