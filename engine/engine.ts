/**
 * The engine: ingest -> archive -> ack -> analysis feed -> stages (decode, enrich, signature hits,
 * score). Wiring and lifecycle are the two lists below, read top to bottom (STYLE.md §2).
 */
import { join } from 'node:path';
import * as zmq from 'zeromq';
import { unwrap, VigieError } from '../common/errors.js';
import { loadOrCreateEngineKey, varPaths } from '../common/identity.js';
import type { Logger } from '../common/log.js';
import type { vigie } from '../proto/gen/vigie.js';
import { Archive } from './archive/index.js';
import type { EngineConfig } from './config.js';
import { Ingest } from './ingest/ingest.js';
import { ZapHandler } from './ingest/zap-handler.js';
import { Lifecycle } from './lifecycle.js';
import { AnalysisFeed, type FeedCounters } from './analysis/analysis-feed.js';
import { AnalysisHost } from './analysis/analysis-host.js';
import type { Downstream } from './analysis/downstream.js';
import { StageRunner } from './analysis/stage-runner.js';
import { buildStages, type StageOptions } from './analysis/stages.js';
import type { Detection } from './detect/detection.js';
import type { ModelCommand } from './score/model-command.js';
import { resolveModelSource } from './score/model-source.js';
import { BundleDirectory, RolloutLink, type DirectiveSource } from './rollout-link/index.js';
import { SqliteStore } from './store/index.js';
import { AlertGrouper, ProcessContexts } from './triage/index.js';
import { ApiServer, engineMetrics, parseListen } from './api/index.js';
import { consoleRoutes } from './console/index.js';

export interface EngineStatus {
  address: string;
  publicKey: string;
  ingest: Ingest['counters'];
  auth: ZapHandler['counters'];
  archive: ReturnType<Archive['stats']>;
  /** How far analysis is behind the archive (engine/analysis/analysis-feed.ts). */
  analysis: FeedCounters;
  stages: ReturnType<Downstream['counters']>;
  /** Per stage, what is not a number: score.process_model / network_model = 'name@version' or 'none'. */
  stageInfo: ReturnType<Downstream['info']>;
  pendingBatches: number;
  /** Detections written to the store, and those a store error lost. */
  detections: { stored: number; lost: number };
  /** What triage did with them: suppressed by exceptions, alerts opened and grown (engine/triage). */
  triage: AlertGrouper['counters'];
}

export class Engine {
  private readonly context = new zmq.Context({ blocky: false });
  private readonly paths;
  private store!: SqliteStore;
  private grouper!: AlertGrouper;
  private api: ApiServer | undefined;
  private archive!: Archive;
  private zap!: ZapHandler;
  private ingest!: Ingest;
  private runner!: Downstream;
  private feed!: AnalysisFeed;
  private heartbeats: { sensorId: string; hb: vigie.v1.Heartbeat; nowMs: number }[] = [];
  private readonly tenants = new Map<string, string>();
  private timers: NodeJS.Timeout[] = [];
  private readonly detectionCounters = { stored: 0, lost: 0 };
  private lifecycle: Lifecycle;
  publicKey = '';
  /** Content delivery to sensors: the controller sets `rollout.directives`. */
  readonly rollout: RolloutLink;

  /** `content.bundleDir` defaults to `<varDir>/bundles` (files named by payload sha256). */
  constructor(private readonly config: EngineConfig, private readonly log: Logger, content: { directives?: DirectiveSource; bundleDir?: string } = {}) {
    this.paths = varPaths(config.varDir);
    this.rollout = new RolloutLink(new BundleDirectory({ dir: content.bundleDir ?? join(config.varDir, 'bundles') }), content.directives);
    const stageOptions = (): StageOptions => ({
      processTableHosts: config.processTableHosts,
      processTablePerHost: config.processTablePerHost,
      score: {
        processModel: resolveModelSource(config.processModel, 'process', log),
        networkModel: resolveModelSource(config.networkModel, 'network', log),
        maxRows: config.scoreMaxRows,
        maxDelayMs: config.scoreMaxDelayMs,
        lineageDecay: config.lineageDecay,
        warmupEvents: config.scoreWarmupEvents,
      },
    });
    this.lifecycle = new Lifecycle([
      { name: 'store', start: () => this.openStore(), stop: () => this.store.close() },
      { name: 'keys', start: () => { const k = unwrap(loadOrCreateEngineKey(this.paths.engineKey)); this.publicKey = k.publicKey; this.secretKey = k.secretKey; } },
      { name: 'archive', start: async () => { this.archive = unwrap(await Archive.open(this.archiveOptions())); }, stop: () => this.archive.close() },
      // The stage list itself is in analysis/stages.ts; it runs on analysis threads by default.
      // Starting the stages loads the models (in each analysis thread) before ingest opens.
      { name: 'stages', start: async () => { this.runner = this.buildDownstream(stageOptions()); await this.runner.start(); }, stop: () => this.runner.close() },
      // Archived batches reach the stages through the feed; it reads the archive when they are behind.
      { name: 'feed', start: async () => { this.feed = new AnalysisFeed(this.archive, this.runner, log.child({ component: 'analysis-feed' })); await this.feed.start(); }, stop: () => this.feed.stop() },
      { name: 'zap', start: () => this.startZap(), stop: () => this.zap.stop() },
      { name: 'ingest', start: () => this.startIngest(), stop: () => this.ingest.stop() },
      { name: 'timers', start: () => this.startTimers(), stop: () => this.stopTimers() },
      // The HTTP API, web console and /metrics (engine/api), when httpListen is not 'none'.
      { name: 'http', start: () => this.startHttp(), stop: () => this.api?.close() },
    ], log);
  }

  private secretKey = '';

  async start(): Promise<void> {
    await this.lifecycle.start();
    this.log.info('engine listening', { address: this.ingest.address, publicKey: this.publicKey });
  }

  /** Stops reading, flushes what is pending, closes files. Always runs every teardown step. */
  async stop(): Promise<void> {
    await this.lifecycle.stop();
  }

  get address(): string {
    return this.ingest.address;
  }

  get sqlite(): SqliteStore {
    return this.store;
  }

  /** The API and console's base URL, when httpListen is set. */
  get httpUrl(): string | undefined {
    return this.api?.url;
  }

  private openStore(): void {
    this.store = unwrap(SqliteStore.open(this.paths.store));
    this.grouper = new AlertGrouper(this.store, { windowMs: this.config.alertWindowMinutes * 60_000 });
  }

  private async startHttp(): Promise<void> {
    if (this.config.httpListen === 'none') return;
    const listen = parseListen(this.config.httpListen);
    if (!listen) throw new VigieError('VIGIE_CONFIG_INVALID', `httpListen "${this.config.httpListen}" is not host:port or none`, { field: 'httpListen' });
    this.api = await ApiServer.start({
      store: this.store, log: this.log.child({ component: 'http' }), ...listen, extraRoutes: [consoleRoutes],
      // Alert pages draw the process tree around the alert from the archive, kept per alert in the store.
      contexts: new ProcessContexts(this.store, { source: this.archive, retentionMs: this.config.archiveRetentionDays * 86_400_000, log: this.log.child({ component: 'alert-context' }) }),
      metrics: () => engineMetrics(this.status()),
    });
    this.log.info('http listening', { url: this.api.url });
  }

  status(): EngineStatus {
    return {
      address: this.ingest.address,
      publicKey: this.publicKey,
      ingest: this.ingest.counters,
      auth: this.zap.counters,
      archive: this.archive.stats(),
      analysis: this.feed.counters(),
      stages: this.runner.counters(),
      stageInfo: this.runner.info(),
      pendingBatches: this.ingest.pendingBatches,
      detections: { ...this.detectionCounters },
      triage: { ...this.grouper.counters },
    };
  }

  /**
   * Loads a model beside the running one (in every analysis thread) and swaps it in only if it
   * loads and fits; otherwise its typed error (VIGIE_MODEL_INVALID, VIGIE_MODEL_SCHEMA) and the
   * running model keeps scoring.
   */
  swapModel(source: string | Uint8Array, kind?: 'process' | 'network'): ReturnType<Downstream['swapModel']> {
    return this.runner.swapModel(source, kind);
  }

  /** Canary models that follow a rollout's rings: load, route hosts, promote, drop (every analysis thread). */
  modelCommand(c: ModelCommand): ReturnType<Downstream['modelCommand']> {
    return this.runner.modelCommand(c);
  }

  private buildDownstream(stageOptions: StageOptions): Downstream {
    const sink = { add: (d: readonly Detection[]) => this.storeDetections(d) };
    if (this.config.analysisThreads === 0) return new StageRunner(buildStages(stageOptions, sink, this.log), this.log, this.config.analysisHighWater);
    const level = (process.env['VIGIE_LOG_LEVEL'] as 'debug' | 'info' | 'warn' | 'error' | undefined) ?? 'info';
    return new AnalysisHost(stageOptions, sink, this.log, level, this.config.analysisHighWater, this.config.analysisThreads, this.config.analysisNice);
  }

  /** The store's one writer. A failed write is counted and logged; the detections stay derivable from the archive. */
  private storeDetections(detections: readonly Detection[]): void {
    try {
      // Stored, and grouped into alerts or suppressed by an exception (engine/triage), in one transaction.
      this.grouper.ingest(detections);
      this.detectionCounters.stored += detections.length;
    } catch (e) {
      this.detectionCounters.lost += detections.length;
      this.log.error('detections not stored', { count: detections.length, error: e });
    }
  }

  private archiveOptions() {
    return {
      dir: this.paths.archive,
      segmentBytes: this.config.archiveSegmentBytes,
      retentionMs: this.config.archiveRetentionDays * 86_400_000,
      groupCommitMs: this.config.archiveGroupCommitMs,
      fsync: this.config.archiveFsync,
    };
  }

  private async startZap(): Promise<void> {
    this.zap = new ZapHandler(this.context, {
      lookup: (key) => {
        const s = this.store.sensorByKey(key);
        return s ? { sensorId: s.sensorId, revoked: s.revokedMs !== null } : undefined;
      },
    }, this.log);
    await this.zap.start();
  }

  private async startIngest(): Promise<void> {
    this.ingest = new Ingest({
      context: this.context,
      endpoint: this.config.endpoint,
      secretKey: this.secretKey,
      maxFrameBytes: this.config.maxFrameBytes,
      maxPendingBatches: this.config.maxPendingBatches,
      archive: this.archive,
      sensors: { tenantOf: (id) => this.tenantOf(id) },
      onStored: (b, at) => this.feed.stored(b, at),
      onHeartbeat: (sensorId, hb) => { this.heartbeats.push({ sensorId, hb, nowMs: Date.now() }); },
      rollout: this.rollout,
      log: this.log,
    });
    await this.ingest.start();
  }

  private tenantOf(sensorId: string): string | undefined {
    const cached = this.tenants.get(sensorId);
    if (cached !== undefined) return cached;
    const s = this.store.sensorById(sensorId);
    if (!s || s.revokedMs !== null) return undefined;
    this.tenants.set(sensorId, s.tenant);
    return s.tenant;
  }

  private startTimers(): void {
    this.timers.push(setInterval(() => this.flushHeartbeats(), this.config.heartbeatFlushMs));
    this.timers.push(setInterval(() => {
      this.archive.sweep(Date.now(), this.feed.sweepFloor()).catch((e: unknown) => this.log.error('archive sweep failed', { error: e }));
    }, 60_000));
    for (const t of this.timers) t.unref();
  }

  private stopTimers(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.flushHeartbeats();
  }

  private flushHeartbeats(): void {
    if (this.heartbeats.length === 0) return;
    const items = this.heartbeats;
    this.heartbeats = [];
    try {
      this.store.recordHeartbeats(items);
    } catch (e) {
      this.log.error('heartbeat store failed', { error: e, count: items.length });
    }
  }
}
