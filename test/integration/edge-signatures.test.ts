/**
 * Edge signatures end to end: a real engine, a real agent whose signature worker matches its
 * batches, hits carried in the batch, detections in the SQLite store with the process ancestry;
 * then a pack that loops: the agent keeps streaming on its last-known-good pack and its heartbeat
 * reports the failure.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../common/config/schema.js';
import { unwrap } from '../../common/errors.js';
import type { Event } from '../../common/events.js';
import { varPaths } from '../../common/identity.js';
import { silentLogger } from '../../common/log.js';
import { engineConfigSchema } from '../../engine/config.js';
import { Engine } from '../../engine/engine.js';
import { enrollSensor } from '../../engine/enrollment.js';
import { Agent } from '../../sensors/agent/agent.js';
import { sensorConfigSchema } from '../../sensors/agent/config.js';
import { SignatureHost } from '../../sensors/signatures/index.js';
import { tempDir, waitFor } from '../helpers/fixtures.js';
import { containsRule, loopingRule, pack } from '../helpers/packs.js';

const T = 1_700_000_000_000;

function proc(pid: number, parent: number, image: string, commandLine: string, at: number): Event {
  return { timeMs: T + at, host: 'ws-7', processStart: { process: { pid, startTimeMs: T + at }, parent: { pid: parent, startTimeMs: T + parent }, image, commandLine } };
}

describe('edge signatures to stored detections', () => {
  let dir: ReturnType<typeof tempDir>;
  let engine: Engine;
  let agent: Agent | undefined;
  let signatures: SignatureHost | undefined;

  beforeEach(async () => {
    dir = tempDir('edge-sig');
    const config = unwrap(parseConfig(engineConfigSchema, { varDir: dir.path, endpoint: 'tcp://127.0.0.1:0', heartbeatFlushMs: 50, processModel: 'none', networkModel: 'none' }, 'test'));
    engine = new Engine(config, silentLogger);
    await engine.start();
  });

  afterEach(async () => {
    await agent?.stop();
    await signatures?.close();
    await engine.stop();
    dir.remove();
  });

  it('stores a detection linked to its event and ancestry, and survives a looping pack', async () => {
    const identity = enrollSensor(engine.sqlite, { sensorId: 'ws-7', host: 'ws-7', tenant: 'town-b', engineEndpoint: engine.address, enginePublicKey: engine.publicKey });
    signatures = await SignatureHost.start(pack('1.0.0', [containsRule('r-enc', '-enc')]), { log: silentLogger, provenBatches: 1, budgetMs: 300 });
    const config = unwrap(parseConfig(sensorConfigSchema, { batchMaxEvents: 10, batchMaxMs: 20, heartbeatMs: 100 }, 'test'));
    agent = new Agent({ identity, config, spoolDir: varPaths(dir.path).sensorSpool('ws-7'), collectors: [], log: silentLogger, signatures });
    await agent.start();

    agent.ingest([
      proc(1, 0, 'C:\\Windows\\explorer.exe', 'explorer.exe', 1),
      proc(2, 1, 'C:\\Program Files\\Microsoft Office\\WINWORD.EXE', 'WINWORD.EXE report.docm', 2),
      proc(3, 2, 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'powershell.exe -nop -enc SQBFAFgA', 3),
    ]);
    agent.flush();
    await waitFor(() => engine.sqlite.detections.count() === 1, 10_000, 'the detection stored');
    const [d] = engine.sqlite.detections.list();
    expect(d).toMatchObject({ sensorId: 'ws-7', tenant: 'town-b', host: 'ws-7', source: 'rule', ruleId: 'r-enc', severity: 'high', processKey: `3:${T + 3}`, timeMs: T + 3 });
    expect(d!.evidence.ancestry.map((p) => p.pid)).toEqual([3, 2, 1]);
    expect(d!.evidence.contentVersion).toBe('1.0.0');
    expect((d!.evidence.event as { processStart: { commandLine: string } }).processStart.commandLine).toContain('-enc');

    // A looping pack arrives: it is unloaded at its first batch; telemetry and 1.0.0 carry on.
    expect((await signatures.load(pack('2.0.0', [containsRule('r-enc', '-enc'), loopingRule('r-loop')]))).ok).toBe(true);
    agent.ingest([proc(4, 1, 'C:\\Windows\\System32\\cmd.exe', 'a'.repeat(40) + 'bc', 4), proc(5, 4, 'C:\\x\\powershell.exe', 'powershell -enc AAAA', 5)]);
    agent.flush();
    await waitFor(() => engine.sqlite.detections.count() === 2, 15_000, 'the second detection, by the last-known-good pack');
    expect(engine.status().ingest.storedEvents).toBe(5);
    // (a heartbeat sent while the fallback was loading says no pack, and one sent before the
    // retried batch was matched counts one hit: wait for the next ones)
    await waitFor(() => {
      const st = engine.sqlite.statuses()[0];
      return (st?.contentFailuresTotal ?? 0) >= 1 && st?.contentVersion === '1.0.0' && st.signatureHits === 2;
    }, 5000, 'the failure and both hits in a stored heartbeat');
    const status = engine.sqlite.statuses()[0]!;
    expect(JSON.parse(status.lastContentFailure!)).toMatchObject({ kind: 'signatures', version: '2.0.0', code: 'VIGIE_PACK_FAILED', fallbackVersion: '1.0.0' });
    expect(status.contentVersion).toBe('1.0.0');
    expect(status.signatureHits).toBe(2);
  });
});
