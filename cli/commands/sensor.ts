import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { unwrap } from '../../common/errors.js';
import { readSensorIdentity, varPaths } from '../../common/identity.js';
import { createLogger } from '../../common/log.js';
import { Agent } from '../../sensors/agent/agent.js';
import { sensorConfigSchema } from '../../sensors/agent/config.js';
import { NetworkCollector } from '../../sensors/collectors/network/index.js';
import { ProcessCollector } from '../../sensors/collectors/process/index.js';
import type { Command } from '../command.js';
import { engineTarget, localSensorIdentity } from '../fleet-setup.js';
import { loadConfig } from '../options.js';
import { startSignatures } from '../signature-setup.js';
import { StatusLine } from '../status-line.js';

/**
 * V8's tier-up budget for the agent process (bytecode executed before a function is optimized;
 * V8's default 67,584). The agent's per-launch path (reading /proc, building and encoding the
 * event) runs a few hundred times a second at most, so with the default budget it stayed in the
 * interpreter for the first 10-20 s of a 100 launches/s load (V8's log: TurboFan compiled the
 * /proc readers and the start builder that late). 8,192 optimizes it within the first seconds:
 * `npm run bench:sensor`'s load figure fell in each of 7 runs alternated with the default
 * (5.4-6.3 -> 3.4-5.2 % on a busy host). Set before the agent's code first runs, which is
 * when V8 reads it for a function.
 */
const AGENT_INTERRUPT_BUDGET = 8192;

export const command: Command = {
  summary: 'Run the sensor agent on this host: process exec/exit (netlink or /proc polling) and network connections',
  usage: 'vigie sensor [--identity FILE | --var DIR [--tenant T]] [--endpoint E] [--poll] [--rules PACK.json|none] [--config FILE] [--no-status]',
  async run(ctx) {
    setFlagsFromString(`--interrupt-budget=${AGENT_INTERRUPT_BUDGET}`);
    const { values } = parseArgs({
      args: ctx.argv,
      options: {
        identity: { type: 'string' }, var: { type: 'string', default: './var' }, tenant: { type: 'string', default: 'local' },
        endpoint: { type: 'string' }, poll: { type: 'boolean' }, config: { type: 'string' }, 'no-status': { type: 'boolean' }, rules: { type: 'string' },
      },
    });
    const config = loadConfig(sensorConfigSchema, values.config, 'sensor', {});
    const log = createLogger({ base: { component: 'sensor' } });
    let identity;
    if (values.identity) {
      identity = unwrap(readSensorIdentity(values.identity));
      if (values.endpoint) identity = { ...identity, engineEndpoint: values.endpoint };
    } else {
      identity = localSensorIdentity(values.var!, await engineTarget(values.var!, values.endpoint, false, log), values.tenant!);
    }
    const processes = new ProcessCollector({ host: identity.host, ...(values.poll ? { mode: 'procfs-poll' as const } : {}) });
    const network = new NetworkCollector({ host: identity.host });
    const spoolDir = values.identity ? `${values.identity}.spool` : varPaths(values.var!).sensorSpool(identity.sensorId);
    const signatures = await startSignatures(values.rules, config, log);
    const agent = new Agent({ identity, config, spoolDir, collectors: [processes, network], log, ...(signatures ? { signatures } : {}) });
    await agent.start();
    ctx.stdout(`sensor ${identity.sensorId} -> ${identity.engineEndpoint} (process collector: ${processes.mode}, network collector: ${network.mode}, signatures: ${signatures ? `pack ${signatures.version}` : 'none'})\n`);
    const status = new StatusLine(() => {
      const s = agent.status();
      return `sensor ${s.sensorId} | ${s.connected ? 'connected' : 'disconnected'} | collected ${s.counters.appendedEvents + s.pending} | acked ${s.counters.ackedEvents}` +
        ` | spool ${s.spool.unackedEvents} ev ${s.spool.bytes} B | dropped ${s.counters.droppedEvents} | hits ${s.signatureHits}`;
    });
    if (!values['no-status']) status.start();
    await ctx.stopSignal;
    status.stop();
    await agent.stop();
    await signatures?.close();
    return 0;
  },
};
