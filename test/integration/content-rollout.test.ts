/**
 * Content delivery end to end over real ZeroMQ (CURVE) on 127.0.0.1: a real engine answers the
 * agent's heartbeat with a signed directive (static DirectiveSource) and serves bundles from its
 * bundle directory; the agent's updater verifies against its pinned root, loads the pack in its
 * real signature worker, and reports it in its next heartbeats. A tampered bundle is refused and
 * reported; after a clean restart the agent runs the new pack from its local copy, engine or not.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../common/config/schema.js';
import { unwrap } from '../../common/errors.js';
import type { Event } from '../../common/events.js';
import { varPaths, type SensorIdentity } from '../../common/identity.js';
import { silentLogger } from '../../common/log.js';
import { engineConfigSchema } from '../../engine/config.js';
import { Engine } from '../../engine/engine.js';
import { enrollSensor } from '../../engine/enrollment.js';
import type { DirectiveSource } from '../../engine/rollout-link/index.js';
import type { vigie } from '../../proto/gen/vigie.js';
import type { Directive } from '../../rollout/controller/directive.js';
import type { Signed } from '../../rollout/trust/index.js';
import { Agent } from '../../sensors/agent/agent.js';
import { sensorConfigSchema } from '../../sensors/agent/config.js';
import { SignatureHost } from '../../sensors/signatures/index.js';
import { UPDATER_STATE_FILE } from '../../sensors/updater/index.js';
import { tempDir, waitFor } from '../helpers/fixtures.js';
import { containsRule, pack } from '../helpers/packs.js';
import { directive, makeKit, packBundle, T0, type Kit, type MadeBundle } from '../sensors/updater/kit.js';

function proc(pid: number, commandLine: string): Event {
  return { timeMs: T0 + pid, host: 'ws-9', processStart: { process: { pid, startTimeMs: T0 + pid }, parent: { pid: 1, startTimeMs: T0 }, image: '/bin/sh', commandLine } };
}

describe('signed content from the engine to the agent', () => {
  let dir: ReturnType<typeof tempDir>;
  let engine: Engine;
  let kit: Kit;
  let bundleDir: string;
  let current: Signed<Directive> | undefined;
  const heartbeats: vigie.v1.Heartbeat[] = [];
  const agents: Agent[] = [];
  const hosts: SignatureHost[] = [];

  beforeEach(async () => {
    dir = tempDir('content-rollout');
    kit = makeKit();
    bundleDir = join(dir.path, 'bundles');
    mkdirSync(bundleDir);
    current = undefined;
    heartbeats.length = 0;
    const config = unwrap(parseConfig(engineConfigSchema, { varDir: dir.path, endpoint: 'tcp://127.0.0.1:0', heartbeatFlushMs: 50, processModel: 'none', networkModel: 'none' }, 'test'));
    const directives: DirectiveSource = { directiveFor: (sensorId, tenant) => (sensorId === 'ws-9' && tenant === 'town-c' ? current : undefined) };
    engine = new Engine(config, silentLogger, { directives, bundleDir });
    engine.rollout.observer = (_id, _tenant, hb) => void heartbeats.push(hb);
    await engine.start();
  });

  afterEach(async () => {
    for (const a of agents.splice(0)) await a.stop();
    for (const h of hosts.splice(0)) await h.close();
    await engine.stop();
    dir.remove();
  });

  const serve = (b: MadeBundle, bytes = b.bytes) => writeFileSync(join(bundleDir, `${b.target.sha256}.vbundle`), bytes);

  async function startAgent(identity: SensorIdentity): Promise<{ agent: Agent; host: SignatureHost }> {
    // The pack the sensor shipped with; the updater replaces it with what it holds or is told.
    const host = await SignatureHost.start(pack('0.9.0', [containsRule('r-shipped', 'shipped')]), { log: silentLogger, provenBatches: 1 });
    hosts.push(host);
    const config = unwrap(parseConfig(sensorConfigSchema, { batchMaxEvents: 10, batchMaxMs: 20, heartbeatMs: 100 }, 'test'));
    const agent = new Agent({
      identity, config, spoolDir: varPaths(dir.path).sensorSpool('ws-9'), collectors: [], log: silentLogger, signatures: host,
      content: { trust: kit.trust, now: () => T0 + 60_000 }, // the kit's clock: its directives and manifests are dated T0
    });
    agents.push(agent);
    await agent.start();
    return { agent, host };
  }

  const last = (): vigie.v1.Heartbeat | undefined => heartbeats.at(-1);

  it('the agent fetches, verifies and runs the pack its directive names, refuses a tampered one, and reports both', async () => {
    const identity = enrollSensor(engine.sqlite, { sensorId: 'ws-9', host: 'ws-9', tenant: 'town-c', engineEndpoint: engine.address, enginePublicKey: engine.publicKey });
    const { agent, host } = await startAgent(identity);
    await waitFor(() => last()?.directiveSerial === -1, 10_000, 'a heartbeat from the updater (no directive yet)');

    // serial 1 names 2.0.0, but the engine's copy was tampered with: refused, 0.9.0 keeps running
    const b2 = packBundle(kit, '2.0.0', 'bravo');
    const tampered = Buffer.from(b2.bytes);
    tampered[tampered.length - 4]! ^= 0x01;
    serve(b2, tampered);
    current = directive(kit, 1, [b2.target]);
    await waitFor(() => last()?.directiveSerial === 1, 10_000, 'serial 1 accepted');
    expect(last()!.contentErrorsByVersion).toEqual([expect.objectContaining({ kind: 'signatures', version: '2.0.0', count: 1 })]);
    expect(last()!.contentFailures!.at(-1)).toMatchObject({ version: '2.0.0', code: 'VIGIE_BUNDLE_DIGEST' });
    expect(host.version).toBe('0.9.0');

    // serial 2 names 3.0.0, served intact: loaded in the signature worker and reported
    const b3 = packBundle(kit, '3.0.0', 'charlie');
    serve(b3);
    current = directive(kit, 2, [b3.target]);
    await waitFor(() => last()?.directiveSerial === 2 && last()?.content?.[0]?.version === '3.0.0', 10_000, 'heartbeat with 3.0.0 loaded');
    expect(last()!.content).toEqual([expect.objectContaining({ kind: 'signatures', version: '3.0.0' })]);
    expect(last()!.contentVersion).toBe('3.0.0');
    expect(last()!.crashesByVersion).toEqual([]);
    expect(engine.rollout.bundleCounters.served).toBe(2);

    // the new pack really matches: its rule makes a stored detection
    agent.ingest([proc(7, 'run charlie now')]);
    agent.flush();
    await waitFor(() => engine.sqlite.detections.count() === 1, 10_000, 'a detection by the 3.0.0 pack');
    expect(engine.sqlite.detections.list()[0]).toMatchObject({ ruleId: 'r-charlie', sensorId: 'ws-9' });

    // clean stop, then a restart with the engine no longer serving anything: the local copy runs
    await agent.stop();
    agents.pop();
    const state = JSON.parse(readFileSync(join(varPaths(dir.path).sensorSpool('ws-9'), 'content', UPDATER_STATE_FILE), 'utf8')) as { running: boolean; serial: number };
    expect(state).toMatchObject({ running: false, serial: 2 });
    writeFileSync(join(bundleDir, `${b3.target.sha256}.vbundle`), 'gone');
    heartbeats.length = 0;
    const again = await startAgent(identity);
    expect(again.host.version).toBe('3.0.0');
    await waitFor(() => last()?.content?.[0]?.version === '3.0.0', 10_000, 'heartbeat after the restart');
    expect(last()!.directiveSerial).toBe(2);
    expect(last()!.crashesByVersion).toEqual([]); // a clean stop is not a crash
  });
});
