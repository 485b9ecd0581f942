import { parseArgs } from 'node:util';
import { createLogger } from '../../common/log.js';
import { unwrap } from '../../common/errors.js';
import { parseConfig } from '../../common/config/schema.js';
import { Agent } from '../../sensors/agent/agent.js';
import { sensorConfigSchema } from '../../sensors/agent/config.js';
import { NetworkCollector } from '../../sensors/collectors/network/index.js';
import { ProcessCollector } from '../../sensors/collectors/process/index.js';
import { varPaths } from '../../common/identity.js';
import { createSimulation } from '../../sensors/simulate/simulation.js';
import type { Command } from '../command.js';
import { enrollLocal, localSensorIdentity, type EngineTarget } from '../fleet-setup.js';
import { bootstrapAdmin } from '../../engine/access/index.js';
import { engineConfigSchema } from '../../engine/config.js';
import { controllerPathsIn } from '../../rollout/service/index.js';
import { Engine } from '../../engine/engine.js';
import { join } from 'node:path';
import { intFlag } from '../options.js';
import { startSignatures } from '../signature-setup.js';
import { analysisLag, RateMeter, StatusLine } from '../status-line.js';
import { embeddedRollout } from '../embedded-rollout.js';


export const command: Command = {
  summary: 'Everything in one process on embedded defaults: engine, a sensor on this host, a small simulated fleet',
  usage: 'vigie start [--var DIR] [--hosts N] [--acceleration X] [--endpoint tcp://127.0.0.1:7470] [--http 127.0.0.1:7480|none] [--rules PACK.json|none]',
  async run(ctx) {
    const { values } = parseArgs({
      args: ctx.argv,
      options: { var: { type: 'string', default: './var' }, hosts: { type: 'string', default: '25' }, acceleration: { type: 'string', default: '10' }, endpoint: { type: 'string', default: 'tcp://127.0.0.1:7470' }, http: { type: 'string', default: '127.0.0.1:7480' }, rules: { type: 'string' } },
    });
    const varDir = values.var!;
    const log = createLogger({ level: 'warn' });
    // The embedded engine, with the HTTP API and web console (engineTarget's engine has them off).
    const engine = new Engine(unwrap(parseConfig(engineConfigSchema, { varDir, endpoint: values.endpoint, httpListen: values.http }, 'start')), log.child({ component: 'engine' }), { bundleDir: controllerPathsIn(varDir).bundleDir });
    await engine.start();
    const target: EngineTarget = { endpoint: engine.address, publicKey: engine.publicKey, embedded: engine };
    const tokenFile = bootstrapAdmin(engine.sqlite, join(varDir, 'admin.token'));
    const config = unwrap(parseConfig(sensorConfigSchema, { heartbeatMs: 5000 }, 'start'));
    const identity = localSensorIdentity(varDir, target, 'local');
    const signatures = await startSignatures(values.rules, config, log);
    // The rollout controller, in this process (heartbeats reach the engine); ring 0 is this host.
    // The first run makes its keys and installs the running pack as the base (cli/embedded-rollout.ts).
    const embedded = embeddedRollout(varDir, identity.sensorId, config.heartbeatMs, signatures?.pack, log.child({ component: 'controller' }), (id) => engine.sqlite.sensorLabels(id));
    const rollout = embedded.runner;
    if (rollout.ok) {
      rollout.value.attach(engine.rollout, engine);
      rollout.value.start();
    }
    const processes = new ProcessCollector({ host: identity.host });
    const network = new NetworkCollector({ host: identity.host });
    // The local sensor takes content updates (it is ring 0) once there is a root to pin. The
    // simulated fleet shares one signature worker between its agents, so it takes no part in
    // rollouts: past ring 0 a rollout here holds (and says why) unless promoted by hand.
    // It has a signature worker of its own: an update it loads must not reach the fleet's.
    const trust = rollout.ok ? embedded.trust : undefined;
    const localSignatures = trust ? await startSignatures(values.rules, config, log) : signatures;
    const local = new Agent({
      identity, config, spoolDir: varPaths(varDir).sensorSpool(identity.sensorId), collectors: [processes, network], log: log.child({ component: 'sensor' }),
      ...(localSignatures ? { signatures: localSignatures } : {}), ...(trust ? { content: { trust } } : {}),
    });
    const sim = createSimulation({
      hosts: intFlag(values.hosts, 'hosts')!, seed: 1, varDir, engineEndpoint: target.endpoint, enginePublicKey: target.publicKey,
      config, log: log.child({ component: 'simulate' }), acceleration: intFlag(values.acceleration, 'acceleration')!,
      ...(signatures ? { signatures } : {}),
    });
    enrollLocal(varDir, sim.fleet.identities, engine);
    await local.start();
    await sim.fleet.start();
    ctx.stdout(`Vigie is running (data in ${varDir}).\n` +
      `  engine   ${engine.address}  key ${engine.publicKey}\n` +
      `  sensor   ${identity.sensorId} on this host (process collector: ${processes.mode})\n` +
      `  fleet    ${sim.hosts.length} simulated hosts, ${values.acceleration}x time, attacks: ${sim.attacks.map((a) => a.name).join(', ')}\n` +
      `  rules    ${signatures ? `signature pack ${signatures.version} on every sensor; detections: vigie detections list --var ${varDir}` : 'none'}\n` +
      `  console  ${engine.httpUrl ? `${engine.httpUrl}/console/ (API ${engine.httpUrl}/api, metrics ${engine.httpUrl}/metrics)` : 'off (--http none)'}\n` +
      `  rollout  ${rollout.ok ? `controller on ${controllerPathsIn(varDir).db}, ring 0: this host; vigie rollout status --db ${controllerPathsIn(varDir).db}` : `off: ${rollout.error.message}`}\n` +
      embedded.notes.map((n) => `           ${n}\n`).join('') +
      (tokenFile ? `           first run: an administrator token was written to ${tokenFile}; log in with it\n` : '') +
      'Ctrl-C stops cleanly.\n');
    const rate = new RateMeter();
    const status = new StatusLine(() => {
      const s = engine.status();
      const t = sim.fleet.totals();
      const l = local.status();
      const dropped = t.droppedEvents + l.counters.droppedEvents;
      return `hosts ${t.hosts + 1} | ${Math.round(rate.sample(s.ingest.storedEvents))} ev/s | stored ${s.ingest.storedEvents}` +
        ` | spool ${t.unackedEvents + l.spool.unackedEvents} ev | drops ${dropped} | detections ${s.detections.stored}` +
        ` | scored ${(s.stages['score']?.['process_rows'] ?? 0) + (s.stages['score']?.['network_rows'] ?? 0)} | rejected ${Object.values(s.ingest.rejected).reduce((a, b) => a + (b ?? 0), 0)}` +
        analysisLag(s.analysis);
    });
    status.start();
    const sig = await ctx.stopSignal;
    status.stop();
    ctx.stdout(`stopping (${sig})...\n`);
    await Promise.allSettled([local.stop(), sim.fleet.stop()]);
    await signatures?.close();
    if (localSignatures !== signatures) await localSignatures?.close();
    if (rollout.ok) rollout.value.stop(engine.rollout);
    await engine.stop();
    ctx.stdout('stopped cleanly.\n');
    return 0;
  },
};
