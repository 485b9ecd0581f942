/**
 * The sensor agent: collectors -> batcher -> encode -> spool -> delivery -> engine, plus
 * heartbeats. The same class runs on a real host and, many times over, in the simulated fleet.
 */
import { join } from 'node:path';
import type * as zmq from 'zeromq';
import { unwrap, type VigieProblem } from '../../common/errors.js';
import type { Event } from '../../common/events.js';
import type { SensorIdentity } from '../../common/identity.js';
import type { Logger } from '../../common/log.js';
import { encodeBatch, encodeEvents, heartbeatFrames } from '../../common/wire/frames.js';
import type { vigie } from '../../proto/gen/vigie.js';
import type { Collector } from '../collectors/collector.js';
import { PACK_FIELD_SCHEMA } from '../../rollout/bundle/index.js';
import type { TrustStore } from '../../rollout/trust/index.js';
import type { SignatureHost } from '../signatures/index.js';
import { Spool } from '../spool/index.js';
import { ContentUpdater, DirBundleCache, FileUpdaterStore, SignatureRuntime } from '../updater/index.js';
import { directiveFromWire, EngineBundleSource } from './content-link.js';
import { Batcher } from './batcher.js';
import type { SensorConfig } from './config.js';
import { Delivery } from './delivery.js';
import { buildHeartbeat, CpuMeter, type HeartbeatSource } from './heartbeat.js';
import { Transport } from './transport.js';

export const SENSOR_VERSION = '0.1.0';

export interface AgentOptions {
  identity: SensorIdentity;
  config: SensorConfig;
  spoolDir: string;
  collectors: Collector[];
  log: Logger;
  /** Share one ZeroMQ context among many agents (the simulated fleet). */
  context?: zmq.Context;
  /** Whether to sample process CPU for heartbeats (one sampler is enough per process). */
  cpuMeter?: CpuMeter;
  contentVersion?: string;
  /** Edge signatures: batches are matched before they are spooled; hits travel with them. */
  signatures?: SignatureHost;
  /** Staged rollout: with a pinned root, the agent takes signed directives and bundles from the engine. */
  content?: AgentContentOptions;
}

export interface AgentContentOptions {
  /** The pinned root's trust (rollout/trust). */
  trust: TrustStore;
  /** Updater state and local bundle copies; default `<spoolDir>/content`. */
  dir?: string;
  /** How long a bundle request may wait for the engine's answer. */
  bundleTimeoutMs?: number;
  now?: () => number;
}

export class Agent {
  private readonly spool: Spool;
  private readonly transport: Transport;
  readonly delivery: Delivery;
  private readonly batcher: Batcher;
  private readonly errors = new Map<string, number>();
  private readonly startedMs = Date.now();
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private readonly cpu: CpuMeter;
  private lastCpu = 0;
  private started = false;
  private lostEvents = 0;
  private lostBatches = 0;
  private stopped = false;
  /** Frames being matched, in order: each appends to the spool after the one before it. */
  private matching: Promise<void> = Promise.resolve();
  private matchingEvents = 0;
  private matchingFrames = 0;
  private signatureHits = 0;
  private eventsUnmatched = 0;
  private updater: ContentUpdater | undefined;
  private readonly bundles: EngineBundleSource;
  /** The directive being applied; while one is, others are dropped (the engine repeats it). */
  private applying: Promise<void> | undefined;
  readonly contentCounters = { directivesApplied: 0, directivesRefused: 0, directivesDropped: 0 };

  constructor(private readonly o: AgentOptions) {
    const c = o.config;
    this.spool = unwrap(Spool.open({ dir: o.spoolDir, maxBytes: c.spoolMaxBytes, segmentBytes: c.spoolSegmentBytes, fsync: c.spoolFsync }));
    this.transport = new Transport({
      sensorId: o.identity.sensorId,
      endpoint: o.identity.engineEndpoint,
      publicKey: o.identity.publicKey,
      secretKey: o.identity.secretKey,
      enginePublicKey: o.identity.enginePublicKey,
      reconnectMinMs: c.reconnectMinMs,
      reconnectMaxMs: c.reconnectMaxMs,
      sendTimeoutMs: c.sendTimeoutMs,
      ...(o.context ? { context: o.context } : {}),
      onAck: (ack) => this.delivery.onAck(ack),
      onDirective: (payload) => this.onDirective(payload),
      onBundleData: (payload) => this.bundles.onBundleData(payload),
    });
    this.bundles = new EngineBundleSource((frames) => this.transport.send(frames), o.content?.bundleTimeoutMs ?? 30_000);
    this.delivery = new Delivery(this.spool, this.transport, c.maxInFlight, c.ackTimeoutMs);
    this.batcher = new Batcher(c.batchMaxEvents, c.batchMaxMs, (events) => this.cut(events));
    this.cpu = o.cpuMeter ?? new CpuMeter();
  }

  get sensorId(): string {
    return this.o.identity.sensorId;
  }

  async start(): Promise<void> {
    // The updater loads the content it had (from its local copies) before anything is collected.
    const content = this.o.content;
    if (content) {
      const dir = content.dir ?? join(this.o.spoolDir, 'content');
      this.updater = await ContentUpdater.start({
        runtimes: this.o.signatures ? [new SignatureRuntime(this.o.signatures)] : [],
        trust: content.trust, source: this.bundles, store: new FileUpdaterStore(dir), bundles: new DirBundleCache(dir),
        now: content.now ?? Date.now, sensorVersion: SENSOR_VERSION, featureSchemas: [PACK_FIELD_SCHEMA], log: this.o.log.child({ component: 'updater' }),
      });
    }
    this.transport.start();
    this.delivery.start();
    const sink = { events: (events: Event[]) => this.ingest(events), problem: (p: VigieProblem) => this.count(p.code) };
    for (const c of this.o.collectors) await c.start(sink);
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), this.o.config.heartbeatMs);
    this.heartbeatTimer.unref();
    this.started = true;
    void this.heartbeat();
  }

  /** Events from any source enter here (collectors, replay, tests). */
  ingest(events: readonly Event[]): void {
    if (!this.stopped) this.batcher.add(events);
  }

  /** Cuts the open frame now (tests and shutdown). */
  flush(): void {
    this.batcher.flush();
  }

  /**
   * Events already encoded (the `events` field of a TelemetryBatch: see encodeEvents), e.g. by a
   * load generator or a replay of archived batches. Cut into a frame of their own, in order.
   */
  ingestEncoded(eventBytes: Uint8Array, count: number): void {
    if (this.stopped) return;
    this.batcher.flush();
    this.frame(count, eventBytes);
  }

  /** A signed directive from the engine: verified and applied by the updater, one at a time. */
  private onDirective(payload: Uint8Array): void {
    const updater = this.updater;
    if (!updater || this.stopped) return;
    if (this.applying) {
      this.contentCounters.directivesDropped++;
      return;
    }
    const d = directiveFromWire(payload);
    if (!d.ok) return this.count(d.error.code);
    this.applying = updater.apply(d.value).then((out) => {
      if (out.status === 'refused') {
        this.contentCounters.directivesRefused++;
        this.count(out.error?.code ?? 'VIGIE_DIRECTIVE_INVALID');
      } else if (out.status === 'applied') {
        this.contentCounters.directivesApplied++;
        this.o.log.info('directive applied', { serial: out.serial, targets: out.targets.map((t) => `${t.kind}:${t.name}@${t.version}=${t.status}`) });
        // Tell the engine at once, unless a bundle was unavailable (the next heartbeat retries).
        if (!this.stopped && !out.targets.some((t) => t.status === 'unavailable')) void this.heartbeat();
      }
    }).finally(() => {
      this.applying = undefined;
    });
  }

  private cut(events: Event[]): void {
    this.frame(events.length, encodeEvents(events));
  }

  /** Matches a frame's events (when the agent has signatures), then spools it with its hits. */
  private frame(count: number, eventBytes: Uint8Array): void {
    const signatures = this.o.signatures;
    if (!signatures) return this.append(count, this.payload(eventBytes, [], this.o.contentVersion ?? ''));
    const outcome = signatures.match(eventBytes);
    this.matchingEvents += count;
    this.matchingFrames++;
    this.matching = this.matching.then(async () => {
      const o = await outcome;
      this.matchingEvents -= count;
      this.matchingFrames--;
      if (o.matched) this.signatureHits += o.hits.length;
      else this.eventsUnmatched += count;
      this.append(count, this.payload(eventBytes, o.matched ? o.hits : [], o.matched ? o.version : ''));
    });
  }

  /** Header (with hits) followed by the events: protobuf messages concatenate into one batch. */
  private payload(eventBytes: Uint8Array, hits: vigie.v1.ISignatureHit[], contentVersion: string): Uint8Array {
    const header = this.encodeHeader(hits, contentVersion);
    const payload = new Uint8Array(header.length + eventBytes.length);
    payload.set(header, 0);
    payload.set(eventBytes, header.length);
    return payload;
  }

  private encodeHeader(hits: vigie.v1.ISignatureHit[], contentVersion: string): Uint8Array {
    const id = this.o.identity;
    return encodeBatch({
      sensorId: id.sensorId,
      tenant: id.tenant,
      seq: this.spool.nextSeq(),
      firstUnackedSeq: this.spool.firstUnackedSeq(),
      sensorVersion: SENSOR_VERSION,
      contentVersion,
      createdMs: Date.now(),
      hits,
    });
  }

  private append(events: number, payload: Uint8Array): void {
    const appended = this.spool.append(events, payload);
    if (!appended.ok) {
      // The spool could not take the frame: its events are lost, and counted as such.
      this.lostEvents += events;
      this.lostBatches++;
      this.count(appended.error.code);
      this.o.log.error('spool append failed', { code: appended.error.code, message: appended.error.message, events });
      return;
    }
    this.delivery.offer(appended.value);
  }

  private count(code: string): void {
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
  }

  private heartbeatSource(): HeartbeatSource {
    const id = this.o.identity;
    return {
      sensorId: id.sensorId,
      tenant: id.tenant,
      host: id.host,
      sensorVersion: SENSOR_VERSION,
      contentVersion: this.o.signatures?.version ?? this.o.contentVersion ?? '',
      signatures: () => ({
        failures: this.o.signatures?.failures ?? [],
        failuresTotal: this.o.signatures?.counters.failuresTotal ?? 0,
        hits: this.signatureHits,
        unmatched: this.eventsUnmatched,
      }),
      collectorMode: () => this.o.collectors.map((c) => `${c.name}:${c.mode}`).join(','),
      spool: () => ({ bytes: this.spool.stats().bytes, batches: this.spool.stats().unackedBatches }),
      counters: () => {
        const s = this.spool.counters();
        return {
          collected: s.appendedEvents + this.lostEvents + this.batcher.size + this.matchingEvents,
          droppedEvents: s.droppedEvents + this.lostEvents,
          droppedBatches: s.droppedBatches + this.lostBatches,
          lastSeq: this.spool.nextSeq() - 1,
          restarts: s.restarts,
        };
      },
      errors: () => this.errors,
      content: () => this.updater?.report(),
    };
  }

  /** Sends a heartbeat now; resolves whether it could be queued. */
  async heartbeat(): Promise<boolean> {
    if (!this.o.cpuMeter) this.lastCpu = this.cpu.sample();
    else this.lastCpu = this.o.cpuMeter.sample();
    return this.transport.send(heartbeatFrames(buildHeartbeat(this.heartbeatSource(), this.startedMs, this.lastCpu)));
  }

  status() {
    return {
      sensorId: this.o.identity.sensorId,
      connected: this.transport.connected,
      authFailures: this.transport.authFailures,
      spool: this.spool.stats(),
      counters: this.spool.counters(),
      delivery: this.delivery.counters,
      inFlight: this.delivery.inFlightCount,
      pending: this.batcher.size,
      /** Frames cut but still being matched: not in the spool yet. */
      matching: { frames: this.matchingFrames, events: this.matchingEvents },
      signatureHits: this.signatureHits,
      eventsUnmatched: this.eventsUnmatched,
      content: this.updater?.report(),
    };
  }

  /** Stops collectors, cuts the last frame into the spool (nothing is lost), closes the socket. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    if (this.started) for (const c of this.o.collectors) await c.stop().catch(() => undefined);
    this.batcher.flush();
    await this.matching; // frames being matched reach the spool before it closes
    this.bundles.close();
    await this.applying;
    this.delivery.stop();
    await this.transport.close();
    this.spool.close();
    this.updater?.markStopped(); // a clean stop: the next start is not a crash
  }
}
