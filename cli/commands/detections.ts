/** `vigie detections list`: stored detections, newest first (host, time, rule or model, severity, process). */
import { parseArgs } from 'node:util';
import { unwrap, VigieError } from '../../common/errors.js';
import { varPaths } from '../../common/identity.js';
import { SqliteStore, type StoredDetection } from '../../engine/store/index.js';
import type { Command } from '../command.js';

const SEVERITIES = ['informational', 'low', 'medium', 'high', 'critical'];

function processOf(d: StoredDetection): string {
  const p = d.evidence.ancestry[0];
  if (p) return `${p.image.split(/[\\/]/).pop() ?? p.image} (${p.pid})`;
  const e = d.evidence.event as { processStart?: { image?: string }; network?: { image?: string }; dns?: { image?: string } };
  const image = e.processStart?.image ?? e.network?.image ?? e.dns?.image ?? '';
  return `${image.split(/[\\/]/).pop() ?? image} (${d.processKey.split(':')[0]})`;
}

export const command: Command = {
  summary: 'List stored detections: host, time, rule or model, severity, process',
  usage: 'vigie detections list [--var DIR] [--tenant T] [--host H] [--severity LEVEL[,LEVEL]] [--since ISO-TIME] [--limit N] [--json]',
  async run(ctx) {
    const [sub, ...rest] = ctx.argv;
    if (sub !== 'list') {
      ctx.stderr(`usage: ${this.usage}\n`);
      return 2;
    }
    const { values } = parseArgs({
      args: rest,
      options: { var: { type: 'string', default: './var' }, tenant: { type: 'string' }, host: { type: 'string' }, severity: { type: 'string' }, since: { type: 'string' }, limit: { type: 'string', default: '50' }, json: { type: 'boolean' } },
    });
    const severities = values.severity?.split(',').map((s) => s.trim().toLowerCase());
    const bad = severities?.find((s) => !SEVERITIES.includes(s));
    if (bad) throw new VigieError('VIGIE_CONFIG_INVALID', `--severity: "${bad}" is not one of ${SEVERITIES.join(', ')}`, { field: 'severity' });
    const sinceMs = values.since === undefined ? undefined : Date.parse(values.since);
    if (sinceMs !== undefined && Number.isNaN(sinceMs)) throw new VigieError('VIGIE_CONFIG_INVALID', `--since: "${values.since}" is not an ISO 8601 time`, { field: 'since' });
    const limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit <= 0) throw new VigieError('VIGIE_CONFIG_INVALID', `--limit must be a positive integer`, { field: 'limit' });
    const store = unwrap(SqliteStore.open(varPaths(values.var!).store));
    try {
      const rows = store.detections.list({
        ...(values.tenant !== undefined ? { tenant: values.tenant } : {}),
        ...(values.host !== undefined ? { host: values.host } : {}),
        ...(severities ? { severities } : {}),
        ...(sinceMs !== undefined ? { sinceMs } : {}),
        limit,
      });
      if (values.json) {
        for (const d of rows) ctx.stdout(`${JSON.stringify(d)}\n`);
        return 0;
      }
      if (rows.length === 0) {
        ctx.stdout('no detections\n');
        return 0;
      }
      ctx.stdout(`${'time (UTC)'.padEnd(21)}${'host'.padEnd(18)}${'severity'.padEnd(10)}${'source'.padEnd(7)}${'process'.padEnd(28)}title\n`);
      for (const d of rows) {
        ctx.stdout(`${new Date(d.timeMs).toISOString().slice(0, 19).padEnd(21)}${d.host.slice(0, 17).padEnd(18)}${d.severity.padEnd(10)}${d.source.padEnd(7)}${processOf(d).slice(0, 27).padEnd(28)}${d.title}\n`);
      }
      return 0;
    } finally {
      store.close();
    }
  },
};
