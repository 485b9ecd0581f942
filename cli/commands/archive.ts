import { parseArgs } from 'node:util';
import { varPaths } from '../../common/identity.js';
import { formatProblem } from '../../common/errors.js';
import { summarizeArchive } from '../../engine/archive-summary.js';
import type { Command } from '../command.js';

export const command: Command = {
  summary: 'Verify the raw-batch archive: every record readable, no batch stored twice; counts per sensor',
  usage: 'vigie archive verify [--var DIR] [--json]   (run while the engine is stopped, or on a copy)',
  async run(ctx) {
    const { values, positionals } = parseArgs({ args: ctx.argv, allowPositionals: true, options: { var: { type: 'string', default: './var' }, json: { type: 'boolean' } } });
    if (positionals[0] !== 'verify') {
      ctx.stderr(`usage: ${this.usage}\n`);
      return 2;
    }
    const s = await summarizeArchive(varPaths(values.var!).archive);
    const duplicates = [...s.sensors.values()].reduce((n, x) => n + x.duplicateSeqs.length, 0);
    if (values.json) {
      const sensors = Object.fromEntries([...s.sensors].map(([id, x]) => [id, { batches: x.batches, events: x.events, duplicate_seqs: x.duplicateSeqs.length }]));
      ctx.stdout(JSON.stringify({ batches: s.batches, events: s.events, sensors: s.sensors.size, duplicate_batches: duplicates, undecodable: s.undecodable, problems: s.problems.length, per_sensor: sensors }) + '\n');
    } else {
      for (const p of s.problems) ctx.stdout(`problem: ${formatProblem(p)}\n`);
      ctx.stdout(`${s.batches} batches, ${s.events} events from ${s.sensors.size} sensors; ${duplicates} stored twice; ${s.undecodable} undecodable; ${s.problems.length} damaged records\n`);
    }
    return duplicates === 0 && s.undecodable === 0 && s.problems.length === 0 ? 0 : 1;
  },
};
