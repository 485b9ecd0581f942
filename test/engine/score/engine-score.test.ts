/**
 * The score stage inside the engine: real analysis thread (worker), real onnxruntime, real agent
 * over ZeroMQ, detections in the SQLite store; model swaps through the engine; an engine that
 * starts without models ('none', a model file that is not there).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../common/config/schema.js';
import { unwrap } from '../../../common/errors.js';
import { varPaths } from '../../../common/identity.js';
import { silentLogger } from '../../../common/log.js';
import { engineConfigSchema } from '../../../engine/config.js';
import { Engine } from '../../../engine/engine.js';
import { enrollSensor } from '../../../engine/enrollment.js';
import { Agent } from '../../../sensors/agent/agent.js';
import { sensorConfigSchema } from '../../../sensors/agent/config.js';
import { tempDir, waitFor } from '../../helpers/fixtures.js';
import { attack, benign, modelBytes } from './fixture.js';

describe('engine with the score stage', () => {
  let dir: ReturnType<typeof tempDir> | undefined;
  let engine: Engine | undefined;
  let agent: Agent | undefined;
  let models: ReturnType<typeof tempDir> | undefined;

  afterEach(async () => {
    await agent?.stop();
    await engine?.stop();
    dir?.remove();
    models?.remove();
    models = undefined;
    agent = undefined;
    engine = undefined;
  });

  async function startEngine(extra: Record<string, unknown>): Promise<Engine> {
    dir = tempDir('engine-score');
    const config = unwrap(parseConfig(engineConfigSchema, { varDir: dir.path, endpoint: 'tcp://127.0.0.1:0', analysisThreads: 1, scoreMaxDelayMs: 20, scoreWarmupEvents: 0, ...extra }, 'test'));
    engine = new Engine(config, silentLogger);
    await engine.start();
    return engine;
  }

  async function startAgent(e: Engine): Promise<Agent> {
    const identity = enrollSensor(e.sqlite, { sensorId: 'ws-7', host: 'ws-7', tenant: 'town-b', engineEndpoint: e.address, enginePublicKey: e.publicKey });
    const config = unwrap(parseConfig(sensorConfigSchema, { batchMaxEvents: 50, batchMaxMs: 20, heartbeatMs: 1000 }, 'test'));
    agent = new Agent({ identity, config, spoolDir: varPaths(dir!.path).sensorSpool('ws-7'), collectors: [], log: silentLogger });
    await agent.start();
    return agent;
  }

  it('stores model detections with explanations and lineage; a corrupt model is refused and the engine keeps scoring with the one it had', async () => {
    models = tempDir('model');
    const modelPath = join(models.path, 'process.onnx');
    writeFileSync(modelPath, modelBytes({ kind: 'process' }));
    const e = await startEngine({ processModel: modelPath, networkModel: 'none' });
    expect(e.status().stageInfo['score']).toMatchObject({ process_model: 'test-process@1.0.0', network_model: 'none' });
    const a = await startAgent(e);

    const first = attack(10_000);
    a.ingest([...benign(40), ...first.events]);
    a.flush();
    await waitFor(() => e.sqlite.detections.count() >= 2, 15_000, 'two model detections stored');
    const stored = e.sqlite.detections.list();
    expect(stored.map((d) => [d.source, d.ruleId]).sort()).toEqual([['model', 'test-process@1.0.0'], ['model', 'test-process@1.0.0']]);
    const who = stored.find((d) => d.evidence.inheritedFrom !== undefined)!;
    expect(who.title).toBe('Unusual process: whoami.exe is a discovery or administration tool');
    expect(who.evidence.ancestry.map((p) => p.pid)).toEqual([first.who.pid, first.ps.pid, first.word.pid]);
    expect(stored.find((d) => d !== who)!.evidence.explanations?.[0]).toBe('started by the document application winword.exe');

    // A corrupt file: refused with its typed error, in the analysis thread, beside the running model.
    const corrupt = join(dir!.path, 'corrupt.onnx');
    writeFileSync(corrupt, Buffer.from('not an onnx model at all'));
    const refused = await e.swapModel(corrupt);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe('VIGIE_MODEL_INVALID');
    const schema = await e.swapModel(modelBytes({ featureSchemaVersion: 'vigie.features/0', version: '3.0.0' }));
    expect(!schema.ok && schema.error.code).toBe('VIGIE_MODEL_SCHEMA');

    a.ingest(attack(20_000).events);
    a.flush();
    await waitFor(() => e.sqlite.detections.count() >= 4, 15_000, 'the old model still scoring');
    expect(e.sqlite.detections.list().every((d) => d.ruleId === 'test-process@1.0.0')).toBe(true);
    expect(e.status().stages['score']).toMatchObject({ models_refused: 2, process_failed_runs: 0 });

    // A good one: swapped in every thread; the next detections are its.
    const swapped = await e.swapModel(modelBytes({ version: '2.0.0' }));
    expect(swapped.ok).toBe(true);
    a.ingest(attack(30_000).events);
    a.flush();
    await waitFor(() => e.sqlite.detections.count() >= 6, 15_000, 'detections by the new model');
    expect(e.sqlite.detections.list().filter((d) => d.ruleId === 'test-process@2.0.0')).toHaveLength(2);
    expect(e.status().stageInfo['score']?.['process_model']).toBe('test-process@2.0.0');
    const c = e.status().stages['score']!;
    expect(c['process_runs']).toBeGreaterThan(0);
    expect(c['process_runs']).toBeLessThan(c['process_rows']!); // batched, not one run per row
  });

  it("starts and ingests with 'none' and with a model file that is not there", async () => {
    const e = await startEngine({ processModel: 'none', networkModel: join('/nonexistent', 'network.onnx') });
    expect(e.status().stageInfo['score']).toMatchObject({ process_model: 'none', network_model: 'none' });
    expect(e.status().stages['score']).toMatchObject({ models_refused: 1 });
    const a = await startAgent(e);
    a.ingest(attack(0).events);
    a.flush();
    await waitFor(() => e.status().ingest.storedEvents === 6, 10_000, 'events stored');
    expect(e.sqlite.detections.count()).toBe(0);
  });
});
