import { parseArgs } from 'node:util';
import { createLogger } from '../../common/log.js';
import { sensorConfigSchema } from '../../sensors/agent/config.js';
import { createSimulation } from '../../sensors/simulate/simulation.js';
import type { Command } from '../command.js';
import { engineTarget, enrollLocal } from '../fleet-setup.js';
import { intFlag, loadConfig } from '../options.js';
import { startSignatures } from '../signature-setup.js';
import { RateMeter, StatusLine } from '../status-line.js';

export const command: Command = {
  summary: 'Run N virtual endpoints (real agent code, synthetic office and server behaviour, scripted attacks)',
  usage: 'vigie simulate --hosts N [--seed S] [--acceleration X] [--rate R] [--scenarios a,b|all|none] [--attack-every-min M]\n' +
    '                 [--var DIR] [--endpoint E | --embedded-engine] [--rules PACK.json|none] [--config FILE] [--no-status]',
  async run(ctx) {
    const { values } = parseArgs({
      args: ctx.argv,
      options: {
        hosts: { type: 'string', default: '50' }, seed: { type: 'string', default: '1' }, acceleration: { type: 'string', default: '1' },
        rate: { type: 'string', default: '1' }, scenarios: { type: 'string', default: 'all' }, 'attack-every-min': { type: 'string', default: '5' },
        var: { type: 'string', default: './var' }, endpoint: { type: 'string' }, 'embedded-engine': { type: 'boolean' },
        config: { type: 'string' }, 'no-status': { type: 'boolean' }, rules: { type: 'string' },
      },
    });
    const log = createLogger({ level: 'warn', base: { component: 'simulate' } });
    const config = loadConfig(sensorConfigSchema, values.config, 'sensor', {});
    const target = await engineTarget(values.var!, values.endpoint, values['embedded-engine'] ?? false, log);
    const signatures = await startSignatures(values.rules, config, log);
    const scenarios = values.scenarios === 'all' ? 'all' : values.scenarios === 'none' ? [] : values.scenarios!.split(',');
    const sim = createSimulation({
      hosts: intFlag(values.hosts, 'hosts')!, seed: intFlag(values.seed, 'seed')!, varDir: values.var!,
      engineEndpoint: target.endpoint, enginePublicKey: target.publicKey, config, log,
      acceleration: intFlag(values.acceleration, 'acceleration')!, rate: intFlag(values.rate, 'rate')!, scenarios,
      attackEveryMs: intFlag(values['attack-every-min'], 'attack-every-min')! * 60_000,
      ...(signatures ? { signatures } : {}),
    });
    enrollLocal(values.var!, sim.fleet.identities, target.embedded);
    await sim.fleet.start();
    ctx.stdout(`simulating ${sim.hosts.length} hosts -> ${target.endpoint}; attacks: ${sim.attacks.map((a) => `${a.name}@${a.host}+${Math.round((a.atMs - sim.attacks[0]!.atMs) / 60_000)}min`).join(', ') || 'none'}\n`);
    const rate = new RateMeter();
    const status = new StatusLine(() => {
      const t = sim.fleet.totals();
      return `simulate | hosts ${t.hosts} (${t.connected} connected) | ${Math.round(rate.sample(t.appendedEvents))} ev/s | acked ${t.ackedEvents}` +
        ` | spool ${t.unackedEvents} ev ${(t.spoolBytes / 1048576).toFixed(1)} MiB | dropped ${t.droppedEvents} | hits ${signatures?.counters.hits ?? 0}`;
    });
    if (!values['no-status']) status.start();
    await ctx.stopSignal;
    status.stop();
    await sim.fleet.stop();
    await signatures?.close();
    await target.embedded?.stop();
    return 0;
  },
};
