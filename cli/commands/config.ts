import { parseArgs } from 'node:util';
import { formatProblem } from '../../common/errors.js';
import { engineConfigSchema } from '../../engine/config.js';
import { sensorConfigSchema } from '../../sensors/agent/config.js';
import { controllerConfigSchema } from '../../rollout/service/config.js';
import type { Command } from '../command.js';
import { configReference } from '../config-doc.js';
import { configSection } from '../options.js';
import { parseConfig } from '../../common/config/schema.js';

export const command: Command = {
  summary: 'Check a configuration file (every problem reported), or print the configuration reference',
  usage: 'vigie config --check FILE | vigie config --doc',
  async run(ctx) {
    const { values } = parseArgs({ args: ctx.argv, options: { check: { type: 'string' }, doc: { type: 'boolean' } } });
    if (values.doc) {
      ctx.stdout(configReference());
      return 0;
    }
    if (!values.check) {
      ctx.stderr(`usage: ${this.usage}\n`);
      return 2;
    }
    let bad = 0;
    for (const [section, schema] of [['engine', engineConfigSchema], ['sensor', sensorConfigSchema], ['controller', controllerConfigSchema]] as const) {
      const raw = configSection(values.check, section);
      const r = raw.ok ? parseConfig(schema, raw.value, `${values.check} (${section})`) : raw;
      if (!r.ok) {
        bad++;
        ctx.stdout(`${formatProblem(r.error)}\n`);
      }
    }
    if (bad === 0) ctx.stdout(`${values.check}: valid\n`);
    return bad === 0 ? 0 : 1;
  },
};
