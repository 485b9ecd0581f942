/**
 * `vigie controller`: the rollout controller as a service. Heartbeats reach the engine, so the
 * controller runs inside an engine process: this starts the engine (as `vigie engine` does) with
 * the controller attached to its rollout link: every heartbeat feeds the controller, every
 * sensor gets its signed directive, bundles are served from the controller's bundle directory,
 * and the gates are evaluated once per heartbeat interval. Release managers act on it with
 * `vigie rollout ...` from any shell: the store is shared (SQLite, WAL).
 */
import { parseArgs } from 'node:util';
import { VigieError } from '../../common/errors.js';
import { createLogger } from '../../common/log.js';
import { engineConfigSchema } from '../../engine/config.js';
import { Engine } from '../../engine/engine.js';
import { controllerConfigSchema, controllerPathsIn, ControllerRunner } from '../../rollout/service/index.js';
import type { Command, CommandContext } from '../command.js';
import { loadConfig } from '../options.js';
import { problemLine } from '../rollout/signing-helpers.js';
import { StatusLine } from '../status-line.js';

const USAGE = 'vigie controller [--db var/rollout.db] [--interval-ms 15000] [--ring0 ID,ID...] [--keys var/rollout/keys] [--bundles var/rollout/bundles] [--var DIR] [--endpoint E] [--config FILE] [--no-status]';

function options(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      db: { type: 'string' }, 'interval-ms': { type: 'string' }, ring0: { type: 'string' }, keys: { type: 'string' }, bundles: { type: 'string' },
      var: { type: 'string' }, endpoint: { type: 'string' }, config: { type: 'string' }, 'no-status': { type: 'boolean' }, help: { type: 'boolean' },
    },
  }).values;
}

async function run(ctx: CommandContext): Promise<number> {
  let v: ReturnType<typeof options>;
  let engineConfig;
  let config;
  try {
    v = options(ctx.argv);
    if (v.help) {
      ctx.stdout(`usage: ${USAGE}\n`);
      return 0;
    }
    const interval = v['interval-ms'] === undefined ? undefined : Number(v['interval-ms']);
    engineConfig = loadConfig(engineConfigSchema, v.config, 'engine', { varDir: v.var, endpoint: v.endpoint });
    // With --var, the controller's files live under it too, unless named one by one.
    const under: Partial<ReturnType<typeof controllerPathsIn>> = v.var === undefined ? {} : controllerPathsIn(v.var);
    config = loadConfig(controllerConfigSchema, v.config, 'controller', {
      db: v.db ?? under.db, bundleDir: v.bundles ?? under.bundleDir, keysDir: v.keys ?? under.keysDir,
      intervalMs: interval, ring0Hosts: v.ring0?.split(',').filter((h) => h !== ''),
    });
  } catch (e) {
    if (!(e instanceof VigieError) && !(e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) throw e;
    ctx.stderr(`vigie controller: ${(e as Error).message}\nusage: ${USAGE}\n`);
    return 2;
  }
  const log = createLogger({ base: { component: 'controller' } });
  // Site and hardware/OS group from enrolment (`vigie enroll --site --group`), read once the engine's store is open.
  let store: Engine['sqlite'] | undefined;
  const runner = ControllerRunner.open(config, { log, labels: (id) => store?.sensorLabels(id) });
  if (!runner.ok) {
    ctx.stderr(`${problemLine(runner.error)}\n`);
    return 1;
  }
  const controller = runner.value;
  const engine = new Engine(engineConfig, log.child({ component: 'engine' }), { bundleDir: config.bundleDir, directives: controller.link });
  controller.attach(engine.rollout, engine);
  try {
    await engine.start();
    store = engine.sqlite;
  } catch (e) {
    controller.stop(engine.rollout);
    if (!(e instanceof VigieError)) throw e;
    ctx.stderr(`${e.message}\n`);
    return 1;
  }
  controller.start();
  // Scripts (and tests) read this line to learn where the engine listens.
  ctx.stdout(`controller ready ${JSON.stringify({ address: engine.address, publicKey: engine.publicKey, db: config.db, bundleDir: config.bundleDir, intervalMs: config.intervalMs, pid: process.pid })}\n`);
  const status = new StatusLine(() => {
    const live = controller.service.controller.all.filter((r) => ['validated', 'rolling', 'held', 'paused'].includes(r.state));
    const c = controller.link.counters;
    return `controller | hosts ${controller.service.controller.hosts.hosts.size} | heartbeats ${c.heartbeats} | directives ${c.directives} | ticks ${controller.counters.ticks}` +
      ` | ${live.length === 0 ? 'no live rollout' : live.map((r) => `${r.id} ${r.version} ${r.state} ring ${r.ring + 1}`).join(', ')}`;
  });
  if (!v['no-status']) status.start();
  const sig = await ctx.stopSignal;
  status.stop();
  log.info('stopping', { signal: sig });
  // Detach first: the engine must not call into a closed store while it drains.
  controller.stop(engine.rollout);
  await engine.stop();
  ctx.stdout(`controller stopped ${JSON.stringify({ ticks: controller.counters.ticks, ...controller.link.counters })}\n`);
  return 0;
}

export const command: Command = {
  summary: 'Run the rollout controller (inside an engine): heartbeats in, signed directives and bundles out, gates every interval',
  usage: USAGE,
  run,
};
