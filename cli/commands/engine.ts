import { parseArgs } from 'node:util';
import { createLogger } from '../../common/log.js';
import { engineConfigSchema } from '../../engine/config.js';
import { Engine } from '../../engine/engine.js';
import type { Command } from '../command.js';
import { loadConfig } from '../options.js';
import { analysisLag, RateMeter, StatusLine } from '../status-line.js';

/** Rows the models scored and the detections they made, when the score stage runs. */
function scored(c: Record<string, number> | undefined): string {
  if (!c) return '';
  return ` | scored ${(c['process_rows'] ?? 0) + (c['network_rows'] ?? 0)} rows, ${c['detections'] ?? 0} det`;
}

export const command: Command = {
  summary: 'Run the engine alone: ingest (ZeroMQ ROUTER, CURVE + ZAP), archive, store',
  usage: 'vigie engine [--var DIR] [--endpoint tcp://0.0.0.0:7470] [--config FILE] [--no-status]\n' +
    '  SIGUSR2 prints one "engine status {json}" line with every counter (scripts, benchmarks).',
  async run(ctx) {
    const { values } = parseArgs({
      args: ctx.argv,
      options: { var: { type: 'string' }, endpoint: { type: 'string' }, config: { type: 'string' }, 'no-status': { type: 'boolean' } },
    });
    const config = loadConfig(engineConfigSchema, values.config, 'engine', { varDir: values.var, endpoint: values.endpoint });
    const log = createLogger({ base: { component: 'engine' } });
    const engine = new Engine(config, log);
    await engine.start();
    // Scripts (and tests) read this line to learn the bound address and the engine key.
    ctx.stdout(`engine ready ${JSON.stringify({ address: engine.address, publicKey: engine.publicKey, pid: process.pid })}\n`);
    const rate = new RateMeter();
    const status = new StatusLine(() => {
      const s = engine.status();
      const rejected = Object.values(s.ingest.rejected).reduce((a, b) => a + (b ?? 0), 0);
      return `engine ${s.address} | ${Math.round(rate.sample(s.ingest.storedEvents))} ev/s | stored ${s.ingest.storedEvents} ev` +
        ` | dup ${s.ingest.duplicates} | rejected ${rejected} | refused ${Object.values(s.auth.refused).reduce((a, b) => a + (b ?? 0), 0)}` +
        ` | pending ${s.pendingBatches}${analysisLag(s.analysis)}${scored(s.stages['score'])}`;
    });
    if (!values['no-status']) status.start();
    const dump = () => ctx.stdout(`engine status ${JSON.stringify(engine.status())}\n`);
    process.on('SIGUSR2', dump);
    const sig = await ctx.stopSignal;
    process.off('SIGUSR2', dump);
    status.stop();
    // A last line with the counters, for operators' logs and for benchmarks.
    ctx.stdout(`engine stopped ${JSON.stringify(engine.status())}\n`);
    log.info('stopping', { signal: sig });
    await engine.stop();
    return 0;
  },
};
