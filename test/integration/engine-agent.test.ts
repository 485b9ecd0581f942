/**
 * One real engine and real sensor agents over real CURVE-encrypted ZeroMQ sockets on loopback,
 * with real spool, archive and SQLite files.
 */
import * as zmq from 'zeromq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateCurveKeyPair } from '../../common/curve.js';
import { varPaths, type SensorIdentity } from '../../common/identity.js';
import { silentLogger } from '../../common/log.js';
import { parseConfig } from '../../common/config/schema.js';
import { unwrap } from '../../common/errors.js';
import { batchFrames, encodeBatch, FrameKind, decodeAck } from '../../common/wire/frames.js';
import { AckStatus } from '../../common/events.js';
import { engineConfigSchema } from '../../engine/config.js';
import { Engine } from '../../engine/engine.js';
import { enrollSensor } from '../../engine/enrollment.js';
import { Archive } from '../../engine/archive/index.js';
import { decodeBatch } from '../../common/wire/frames.js';
import { Agent } from '../../sensors/agent/agent.js';
import { sensorConfigSchema } from '../../sensors/agent/config.js';
import { processEvents, tempDir, waitFor } from '../helpers/fixtures.js';

const sensorConfig = unwrap(parseConfig(sensorConfigSchema, { batchMaxEvents: 50, batchMaxMs: 20, heartbeatMs: 100, ackTimeoutMs: 500 }, 'test'));

describe('engine and sensor agents over ZeroMQ', () => {
  let dir: ReturnType<typeof tempDir>;
  let engine: Engine;
  const agents: Agent[] = [];
  const sockets: zmq.Socket[] = [];

  beforeEach(async () => {
    dir = tempDir('e2e');
    const config = unwrap(parseConfig(engineConfigSchema, { varDir: dir.path, endpoint: 'tcp://127.0.0.1:0', maxFrameBytes: 64 * 1024, heartbeatFlushMs: 50 }, 'test'));
    engine = new Engine(config, silentLogger);
    await engine.start();
  });

  afterEach(async () => {
    for (const a of agents.splice(0)) await a.stop();
    for (const s of sockets.splice(0)) s.close();
    await engine.stop();
    dir.remove();
  });

  function enroll(id: string): SensorIdentity {
    return enrollSensor(engine.sqlite, { sensorId: id, host: id, tenant: 'town-a', engineEndpoint: engine.address, enginePublicKey: engine.publicKey });
  }

  function agentFor(identity: SensorIdentity): Agent {
    const a = new Agent({ identity, config: sensorConfig, spoolDir: varPaths(dir.path).sensorSpool(identity.sensorId), collectors: [], log: silentLogger });
    agents.push(a);
    return a;
  }

  it('archives every event exactly once and acks it, and records heartbeats', async () => {
    const ids = ['ws-1', 'ws-2', 'srv-1'].map(enroll);
    const fleet = ids.map(agentFor);
    for (const a of fleet) await a.start();
    for (const [i, a] of fleet.entries()) a.ingest(processEvents(ids[i]!.host, 0, 1000 + i));
    for (const a of fleet) a.flush();
    await waitFor(() => fleet.every((a) => a.status().spool.unackedBatches === 0), 20_000, 'all batches acked');
    expect(engine.status().ingest.storedEvents).toBe(1000 + 1001 + 1002);
    // heartbeats reach the store
    await waitFor(() => engine.sqlite.statuses().filter((s) => s.heartbeatMs !== null).length === 3, 5000, 'heartbeats stored');
    // the analysis thread decoded them and the process table saw the three hosts
    await waitFor(() => engine.status().stages['enrich']?.['events'] === 1000 + 1001 + 1002, 5000, 'analysis caught up');
    expect(engine.status().stages['enrich']?.['hosts']).toBe(3);
  });

  it('refuses an unenrolled key and a revoked key', async () => {
    const revoked = enroll('revoked-1');
    expect(engine.sqlite.revoke('revoked-1', Date.now())).toBe(true);
    const stranger = generateCurveKeyPair();
    const unenrolled: SensorIdentity = { ...revoked, sensorId: 'stranger', publicKey: stranger.publicKey, secretKey: stranger.secretKey };
    const a1 = agentFor(unenrolled);
    const a2 = agentFor(revoked);
    await a1.start();
    await a2.start();
    a1.ingest(processEvents('x', 0, 10));
    a2.ingest(processEvents('y', 0, 10));
    a1.flush();
    a2.flush();
    await waitFor(() => (engine.status().auth.refused.VIGIE_AUTH_UNENROLLED ?? 0) > 0 && (engine.status().auth.refused.VIGIE_AUTH_REVOKED ?? 0) > 0, 10_000, 'both refused');
    expect(engine.status().ingest.storedEvents).toBe(0);
    // nothing lost on the sensor side: still spooled, waiting for a key that works
    expect(a1.status().spool.unackedEvents).toBe(10);
    expect(a1.status().authFailures).toBeGreaterThan(0);
  });

  it('rejects garbage, truncated and oversized frames with counters, and the stream goes on', async () => {
    const id = enroll('raw-1');
    const dealer = new zmq.Dealer({ routingId: id.sensorId, curveServerKey: id.enginePublicKey, curvePublicKey: id.publicKey, curveSecretKey: id.secretKey, linger: 0 });
    sockets.push(dealer);
    dealer.connect(engine.address);
    const good = (seq: number, n: number) => encodeBatch({ sensorId: id.sensorId, tenant: 'town-a', seq, firstUnackedSeq: seq, events: processEvents('raw', seq * 100, n) });
    await dealer.send([Buffer.from('garbage')]);
    await dealer.send([Buffer.from([0x55]), Buffer.from('x')]);
    const whole = good(1, 20);
    await dealer.send(batchFrames(whole.subarray(0, whole.length - 7)));
    await dealer.send(batchFrames(good(2, 2000))); // > 64 KiB
    await dealer.send(batchFrames(good(3, 20)));
    await dealer.send(batchFrames(good(3, 20))); // a re-send: duplicate
    const acks: { seq: number; status: number; code: string }[] = [];
    for (let i = 0; i < 3; i++) {
      const [kind, payload] = await dealer.receive();
      expect(kind![0]).toBe(FrameKind.Ack);
      const ack = unwrap(decodeAck(payload!));
      acks.push({ seq: ack.seq, status: ack.status, code: ack.errorCode });
    }
    expect(acks).toEqual([
      { seq: 2, status: AckStatus.ACK_STATUS_REJECTED, code: 'VIGIE_FRAME_TOO_LARGE' },
      { seq: 3, status: AckStatus.ACK_STATUS_STORED, code: '' },
      { seq: 3, status: AckStatus.ACK_STATUS_DUPLICATE, code: '' },
    ]);
    const rejected = engine.status().ingest.rejected;
    expect(rejected.VIGIE_FRAME_GARBAGE).toBe(2);
    expect(rejected.VIGIE_DECODE_FAILED).toBe(1);
    expect(rejected.VIGIE_FRAME_TOO_LARGE).toBe(1);
    expect(engine.status().ingest.storedEvents).toBe(20);
  });

  it('rejects a batch that names another sensor than the connection', async () => {
    const id = enroll('honest-1');
    enroll('victim-1');
    const dealer = new zmq.Dealer({ routingId: id.sensorId, curveServerKey: id.enginePublicKey, curvePublicKey: id.publicKey, curveSecretKey: id.secretKey, linger: 0 });
    sockets.push(dealer);
    dealer.connect(engine.address);
    await dealer.send(batchFrames(encodeBatch({ sensorId: 'victim-1', tenant: 'town-a', seq: 1, events: processEvents('v', 0, 5) })));
    const [, payload] = await dealer.receive();
    const ack = unwrap(decodeAck(payload!));
    expect(ack.status).toBe(AckStatus.ACK_STATUS_REJECTED);
    expect(ack.errorCode).toBe('VIGIE_SENSOR_MISMATCH');
  });
});

describe('archive contents after a session', () => {
  it('can be read back and decoded', async () => {
    const dir = tempDir('e2e-read');
    try {
      const config = unwrap(parseConfig(engineConfigSchema, { varDir: dir.path, endpoint: 'tcp://127.0.0.1:0' }, 'test'));
      const engine = new Engine(config, silentLogger);
      await engine.start();
      const identity = enrollSensor(engine.sqlite, { sensorId: 'r-1', host: 'r-1', tenant: 't', engineEndpoint: engine.address, enginePublicKey: engine.publicKey });
      const agent = new Agent({ identity, config: sensorConfig, spoolDir: varPaths(dir.path).sensorSpool('r-1'), collectors: [], log: silentLogger });
      await agent.start();
      agent.ingest(processEvents('r-1', 0, 120));
      agent.flush();
      await waitFor(() => agent.status().spool.unackedBatches === 0, 10_000, 'acked');
      await agent.stop();
      await engine.stop();
      const archive = unwrap(await Archive.open({ dir: varPaths(dir.path).archive }));
      let events = 0;
      for await (const { meta, payload } of archive.records()) {
        expect(meta.sensorId).toBe('r-1');
        events += unwrap(decodeBatch(payload)).events.length;
      }
      await archive.close();
      expect(events).toBe(120);
    } finally {
      dir.remove();
    }
  });
});
