/**
 * `vigie controller` end to end over real ZeroMQ (CURVE) on 127.0.0.1: the command runs an engine
 * with the controller attached; a real agent (signature worker, content updater pinned to the
 * root made by `vigie rollout keys init`) is in ring 0. Started with `vigie rollout start` from
 * "another shell", the rollout reaches the agent: it fetches the bundle from the controller's
 * bundle directory, verifies and runs it, and `vigie rollout status` shows it on the new version.
 * `vigie rollout halt` then brings it back to the previous version with a rollback directive.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { command as controllerCommand } from '../../../cli/commands/controller.js';
import { command as rolloutCommand } from '../../../cli/commands/rollout.js';
import { parseConfig } from '../../../common/config/schema.js';
import { unwrap } from '../../../common/errors.js';
import { varPaths } from '../../../common/identity.js';
import { silentLogger } from '../../../common/log.js';
import { enrollSensor } from '../../../engine/enrollment.js';
import { SqliteStore } from '../../../engine/store/index.js';
import { loadTrust } from '../../../rollout/service/index.js';
import { Agent } from '../../../sensors/agent/agent.js';
import { sensorConfigSchema } from '../../../sensors/agent/config.js';
import { SignatureHost } from '../../../sensors/signatures/index.js';
import { defaultPack, writePackFile } from '../../../signatures/pack/index.js';
import { tempDir, waitFor } from '../../helpers/fixtures.js';
import { runCommand } from '../../helpers/cli-run.js';

const dir = tempDir('controller-command');
afterAll(() => dir.remove());

const rollout = (...argv: string[]) => runCommand(rolloutCommand, [...argv]);

describe('vigie controller', () => {
  it('rolls a pack out to a real agent over ZeroMQ, and back on a halt', async () => {
    const v = dir.path;
    const keys = join(v, 'rollout', 'keys');
    const store = ['--db', join(v, 'rollout.db'), '--bundles', join(v, 'rollout', 'bundles')];
    expect((await rollout('keys', 'init', '--dir', keys)).code).toBe(0);
    const bundles: string[] = [];
    for (const version of ['0.1.0', '0.2.0']) {
      const pack = join(v, `pack-${version}.json`);
      writePackFile(pack, { ...defaultPack(), version });
      const out = join(v, `pack-${version}.vbundle`);
      bundles.push(out);
      expect((await rollout('bundle', '--kind', 'signatures', '--in', pack, '--out', out, '--keys', keys)).code).toBe(0);
    }
    const config = join(v, 'config.json');
    writeFileSync(config, JSON.stringify({
      engine: { analysisThreads: 0, processModel: 'none', networkModel: 'none', heartbeatFlushMs: 50 },
      controller: { warmupIntervals: 0, ring0Hosts: ['ws-1'] },
    }));

    // The controller (with its engine) starts on an empty store; a release manager installs the base.
    let out = '';
    let stop!: (s: string) => void;
    const stopSignal = new Promise<string>((r) => (stop = r));
    const running = controllerCommand.run({ argv: ['--var', v, '--endpoint', 'tcp://127.0.0.1:0', '--config', config, '--interval-ms', '200', '--no-status'], stdout: (t) => void (out += t), stderr: () => {}, stopSignal });
    await waitFor(() => out.includes('controller ready'), 20_000, 'controller ready');
    const ready = JSON.parse(out.slice(out.indexOf('{'), out.indexOf('\n'))) as { address: string; publicKey: string };
    expect((await rollout('install', bundles[0]!, '--root', join(keys, 'root.json'), ...store)).code).toBe(0);
    const created = await rollout('create', bundles[1]!, '--root', join(keys, 'root.json'), ...store, '--max-events', '2000', '--fuzz', '50', '--json');
    expect(created.code, created.err).toBe(0);

    const engineStore = unwrap(SqliteStore.open(varPaths(v).store));
    const identity = enrollSensor(engineStore, { sensorId: 'ws-1', host: 'ws-1', tenant: 'town-a', engineEndpoint: ready.address, enginePublicKey: ready.publicKey });
    engineStore.close();
    const host = await SignatureHost.start({ ...defaultPack(), version: '0.1.0' }, { log: silentLogger, provenBatches: 1 });
    const agent = new Agent({
      identity, config: unwrap(parseConfig(sensorConfigSchema, { heartbeatMs: 100 }, 'test')), spoolDir: varPaths(v).sensorSpool('ws-1'),
      collectors: [], log: silentLogger, signatures: host, content: { trust: unwrap(loadTrust(join(keys, 'root.json'), Date.now())) },
    });
    await agent.start();
    try {
      const hosts = async () => (await rollout('status', 'r1', ...store, '--json')).json.rollouts[0].hosts as { hostsNew: number; hostsOld: number } | null;
      await waitFor(async () => (await hosts())?.hostsOld === 1, 10_000, 'the controller hears the agent on 0.1.0');
      expect(host.version).toBe('0.1.0');

      expect((await rollout('start', 'r1', ...store)).code).toBe(0);
      await waitFor(async () => (await hosts())?.hostsNew === 1, 15_000, 'the agent runs 0.2.0');
      expect(host.version).toBe('0.2.0');

      expect((await rollout('halt', 'r1', '--reason', 'test halt', ...store)).code).toBe(0);
      await waitFor(() => host.version === '0.1.0', 15_000, 'the agent back on 0.1.0');
      await waitFor(async () => (await hosts())?.hostsOld === 1, 10_000, 'status shows it back');
    } finally {
      await agent.stop();
      await host.close();
      stop('test');
    }
    expect(await running).toBe(0);
    expect(out).toMatch(/controller stopped \{"ticks":\d+,"heartbeats":\d+,"directives":\d+,"errors":0\}/);
  });
});
