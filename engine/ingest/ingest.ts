/**
 * Ingest: the ROUTER socket where sensors deliver telemetry. Each frame is checked, its header
 * read (events counted, bounds checked, not decoded), archived durably, and only then acked;
 * archived batches go on to analysis (engine/analysis/analysis-feed.ts), which never makes
 * ingest wait: when analysis is behind, it reads the archive later.
 * Backpressure: when too many batches are waiting for the archive, ingest stops reading; ZeroMQ's
 * queues fill, sensors' sends wait, and their spools absorb the rest.
 */
import * as zmq from 'zeromq';
import { AckStatus } from '../../common/events.js';
import { VigieError, type ErrorCode, type VigieProblem } from '../../common/errors.js';
import type { Logger } from '../../common/log.js';
import { decodeBatchHeader } from '../../common/wire/batch-header.js';
import { classifySensorFrames, decodeHeartbeat, FrameKind } from '../../common/wire/frames.js';
import { bundleDataFrames, decodeBundleRequest } from '../../common/wire/rollout-frames.js';
import type { vigie } from '../../proto/gen/vigie.js';
import type { Appended, RecordSpan } from '../archive/index.js';
import type { ArchivedBatch } from '../pipeline/stage.js';
import { AckWriter } from './ack-writer.js';

export interface BatchArchive {
  append(meta: { sensorId: string; tenant: string; seq: number; firstUnackedSeq: number; events: number; receivedMs: number },
    payload: Uint8Array): Promise<Appended>;
}

export interface SensorDirectory {
  /** The tenant of an enrolled sensor id, or undefined when unknown or revoked. */
  tenantOf(sensorId: string): string | undefined;
}

/** Content delivery (engine/rollout-link): replies to heartbeats and bundle requests. */
export interface RolloutReplies {
  /** Frames to send after a heartbeat (the sensor's directive when its serial is behind), or none. */
  heartbeatReply(sensorId: string, tenant: string, heartbeat: vigie.v1.Heartbeat): (Buffer | Uint8Array)[] | undefined;
  bundleReply(sha256: string): Promise<(Buffer | Uint8Array)[]>;
}

export interface IngestOptions {
  context: zmq.Context;
  endpoint: string;
  secretKey: string;
  maxFrameBytes: number;
  maxPendingBatches: number;
  archive: BatchArchive;
  sensors: SensorDirectory;
  /** A batch is durably archived (at `at`) and acked. */
  onStored(batch: ArchivedBatch, at: RecordSpan): void;
  onHeartbeat(sensorId: string, heartbeat: vigie.v1.Heartbeat): void;
  /** Without it, bundle requests are answered "not served" and heartbeats get no directive. */
  rollout?: RolloutReplies;
  log: Logger;
}

export interface IngestCounters {
  frames: number;
  batches: number;
  events: number;
  stored: number;
  storedEvents: number;
  duplicates: number;
  heartbeats: number;
  bundleRequests: number;
  rejected: Partial<Record<ErrorCode, number>>;
  /** Times ingest stopped reading because too many batches waited for the archive, and for how long. */
  backpressurePauses: number;
  backpressureMs: number;
}

export class Ingest {
  readonly counters: IngestCounters = { frames: 0, batches: 0, events: 0, stored: 0, storedEvents: 0, duplicates: 0, heartbeats: 0, bundleRequests: 0, rejected: {}, backpressurePauses: 0, backpressureMs: 0 };
  private readonly router: zmq.Router;
  private readonly acks: AckWriter;
  private pending = 0;
  private drained: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private lastProblemLog = 0;
  address = '';

  constructor(private readonly o: IngestOptions) {
    this.router = new zmq.Router({
      context: o.context,
      curveServer: true,
      curveSecretKey: o.secretKey,
      zapDomain: 'vigie',
      handover: true,
      linger: 0,
      // A hard memory guard far above the application limit, so that oversized frames still reach
      // the application check below and are counted instead of silently cutting the connection.
      maxMessageSize: o.maxFrameBytes * 4 + 1024,
    });
    this.acks = new AckWriter(this.router);
  }

  async start(): Promise<void> {
    await this.router.bind(this.o.endpoint);
    this.address = this.router.lastEndpoint ?? this.o.endpoint;
    this.loop = this.run();
  }

  get pendingBatches(): number {
    return this.pending;
  }

  private async run(): Promise<void> {
    try {
      for await (const frames of this.router) {
        this.counters.frames++;
        this.handle(frames);
        if (this.pending >= this.o.maxPendingBatches) {
          const t0 = performance.now();
          await new Promise<void>((resolve) => { this.drained = resolve; });
          this.counters.backpressurePauses++;
          this.counters.backpressureMs += performance.now() - t0;
        }
      }
    } catch (e) {
      if (!this.router.closed) this.o.log.error('ingest loop stopped', { error: e });
    }
  }

  private handle(frames: Buffer[]): void {
    const rid = frames[0]!;
    const sensorId = rid.toString();
    const shape = classifySensorFrames(frames.slice(1), this.o.maxFrameBytes);
    if (!shape.ok) {
      this.reject(shape.error, sensorId);
      // An oversized batch is answered, so that its sensor drops it instead of resending forever.
      if (shape.error.code === 'VIGIE_FRAME_TOO_LARGE' && frames[1]?.[0] === FrameKind.Batch) this.rejectBatch(rid, frames[2]!, shape.error);
      return;
    }
    if (shape.value.kind === FrameKind.Heartbeat) {
      const hb = decodeHeartbeat(shape.value.payload);
      if (!hb.ok) return this.reject(hb.error, sensorId);
      if (hb.value.sensorId !== sensorId) return this.reject({ code: 'VIGIE_SENSOR_MISMATCH', message: `heartbeat names ${hb.value.sensorId}` }, sensorId);
      this.counters.heartbeats++;
      this.o.onHeartbeat(sensorId, hb.value);
      const tenant = this.o.rollout ? this.o.sensors.tenantOf(sensorId) : undefined;
      const reply = tenant === undefined ? undefined : this.o.rollout?.heartbeatReply(sensorId, tenant, hb.value);
      if (reply) this.acks.pushFrames(rid, reply);
      return;
    }
    if (shape.value.kind === FrameKind.BundleRequest) return this.bundleRequest(rid, sensorId, shape.value.payload);
    const payload = shape.value.payload;
    const decoded = decodeBatchHeader(payload);
    if (!decoded.ok) return this.reject(decoded.error, sensorId);
    const batch = decoded.value;
    const seq = batch.seq;
    const tenant = this.o.sensors.tenantOf(sensorId);
    if (batch.sensorId !== sensorId || tenant === undefined) {
      const problem: VigieProblem = { code: 'VIGIE_SENSOR_MISMATCH', message: `batch names "${batch.sensorId}", connection is "${sensorId}"` };
      this.reject(problem, sensorId);
      this.acks.push(rid, { seq, status: AckStatus.ACK_STATUS_REJECTED, errorCode: problem.code, errorMessage: problem.message });
      return;
    }
    this.counters.batches++;
    this.counters.events += batch.events;
    const receivedMs = Date.now();
    this.pending++;
    this.o.archive.append({ sensorId, tenant, seq, firstUnackedSeq: batch.firstUnackedSeq, events: batch.events, receivedMs }, payload)
      .then((appended) => {
        if (appended.outcome === 'stored') {
          this.counters.stored++;
          this.counters.storedEvents += batch.events;
          this.acks.push(rid, { seq, status: AckStatus.ACK_STATUS_STORED });
          this.o.onStored({ sensorId, tenant, seq, receivedMs, payload }, appended.at);
        } else {
          this.counters.duplicates++;
          this.acks.push(rid, { seq, status: AckStatus.ACK_STATUS_DUPLICATE });
        }
      }, (e: unknown) => {
        // Not acked: the sensor keeps the batch and sends it again.
        const code = e instanceof VigieError ? e.code : 'VIGIE_ARCHIVE_IO';
        this.reject({ code, message: (e as Error).message }, sensorId);
      })
      .finally(() => {
        this.pending--;
        if (this.drained && this.pending < this.o.maxPendingBatches / 2) {
          const resume = this.drained;
          this.drained = undefined;
          resume();
        }
      });
  }

  /** Answered asynchronously (a file read); the directory bounds reads in flight. */
  private bundleRequest(rid: Buffer, sensorId: string, payload: Buffer): void {
    const req = decodeBundleRequest(payload);
    if (!req.ok) return this.reject(req.error, sensorId);
    if (this.o.sensors.tenantOf(sensorId) === undefined) return this.reject({ code: 'VIGIE_SENSOR_MISMATCH', message: 'bundle request from a sensor that is not enrolled' }, sensorId);
    this.counters.bundleRequests++;
    const sha256 = req.value.sha256;
    const rollout = this.o.rollout;
    if (!rollout) return this.acks.pushFrames(rid, bundleDataFrames({ sha256, errorCode: 'VIGIE_UPDATER_IO', errorMessage: 'this engine serves no bundles' }));
    rollout.bundleReply(sha256).then((frames) => this.acks.pushFrames(rid, frames), (e: unknown) => {
      this.o.log.error('bundle reply failed', { error: e, sensor: sensorId });
    });
  }

  private rejectBatch(rid: Buffer, payload: Buffer, problem: VigieProblem): void {
    const decoded = decodeBatchHeader(payload);
    if (decoded.ok) this.acks.push(rid, { seq: decoded.value.seq, status: AckStatus.ACK_STATUS_REJECTED, errorCode: problem.code, errorMessage: problem.message });
  }

  private reject(problem: VigieProblem, sensorId: string): void {
    this.counters.rejected[problem.code] = (this.counters.rejected[problem.code] ?? 0) + 1;
    const now = Date.now();
    if (now - this.lastProblemLog > 1000) {
      // At most one log line a second: a flood of bad frames must not become a flood of logs.
      this.lastProblemLog = now;
      this.o.log.warn('frame rejected', { code: problem.code, message: problem.message, sensor: sensorId });
    }
  }

  async stop(): Promise<void> {
    this.router.close();
    this.drained?.();
    await this.loop;
  }
}
