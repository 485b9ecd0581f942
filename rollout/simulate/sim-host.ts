/**
 * One simulated endpoint: the real ContentUpdater (sensors/updater) on an in-memory state store,
 * a simulated content runtime, and the agent's own behaviour around it: heartbeats with CPU,
 * memory and detections drawn from its hardware group, background crashes, and the bad
 * version's fault. A crash drops the updater without a clean stop and starts a new one on the same
 * state, so the updater's own crash accounting and local revert are what run.
 */
import type { Logger } from '../../common/log.js';
import { Rng } from '../../sensors/simulate/behaviour/prng.js';
import { ContentUpdater } from '../../sensors/updater/index.js';
import type { BundleCache, BundleSource, UpdaterReport, UpdaterStore } from '../../sensors/updater/types.js';
import type { HostReport } from '../controller/host-report.js';
import type { Directive } from '../controller/directive.js';
import type { Signed, TrustStore } from '../trust/index.js';
import type { FaultModel } from './faults.js';
import type { SimGroup, SimHostSpec } from './sim-fleet.js';
import { SimRuntime } from './sim-runtime.js';

const HOUR = 3_600_000;
const MIB = 1024 * 1024;
/** Restarts in one step before the simulation calls it a boot loop and waits for the next step. */
const MAX_RESTARTS_PER_STEP = 4;

export interface SimWorld {
  /** The simulated clock every agent reads. */
  clock: { nowMs: number };
  trust: TrustStore;
  source: BundleSource;
  /** Each host's own bundle cache (its disk): the updater drops what that host no longer needs. */
  newBundleCache: () => BundleCache;
  fault: FaultModel;
  badVersion: string;
  sensorVersion: string;
  featureSchemas: readonly string[];
  /** Mean time between background agent crashes (hardware, OS, unrelated bugs), ms. */
  backgroundCrashMeanMs: number;
  /** Share of its time the agent spends inside content (a background crash lands there that often). */
  insideShare: number;
  /** Detections per host-hour with good content. */
  detectionsPerHour: number;
  log: Logger;
  newStore: () => UpdaterStore;
}

export class SimHost {
  updater!: ContentUpdater;
  readonly runtime = new SimRuntime();
  private readonly store: UpdaterStore;
  private readonly bundles: BundleCache;
  private readonly rng: Rng;
  private readonly affected: boolean;
  private nextBackgroundCrash: number;
  private nextTrigger = Infinity;
  private detections = 0;
  private nextDetection: number;
  /** First time this host loaded the bad version (NaN: never). */
  loadedBadAt = NaN;
  readonly report: HostReport;

  constructor(readonly spec: SimHostSpec, private readonly group: SimGroup, private readonly world: SimWorld, seed: number, nowMs: number) {
    this.store = world.newStore();
    this.bundles = world.newBundleCache();
    this.rng = new Rng(seed, spec.index, 0xc4a5);
    this.affected = world.fault.groups.has(spec.group);
    this.nextBackgroundCrash = nowMs + this.exp(world.backgroundCrashMeanMs);
    this.nextDetection = nowMs + this.exp(HOUR / world.detectionsPerHour);
    this.runtime.crashOnLoad = (v) => v === world.badVersion && this.affected && world.fault.kind === 'crash-on-load';
    this.report = {
      host: spec.id, tenant: spec.tenant, site: spec.site, group: group.name, atMs: nowMs, sensorVersion: world.sensorVersion,
      loaded: [], crashes: [], contentCrashes: [], restarts: 0, contentErrors: [], reverts: [], cpuPercent: 0, rssBytes: 0, detections: 0,
    };
  }

  /** The first start of the agent. */
  async boot(): Promise<void> {
    await this.startAgent();
  }

  get runningBad(): boolean {
    return this.runtime.running() === this.world.badVersion;
  }

  /** Whether something happens on the host by `nowMs` (keeps the common case free of promises). */
  due(nowMs: number): boolean {
    return nowMs >= this.nextBackgroundCrash || nowMs >= this.nextTrigger;
  }

  /** The serial of the last directive the updater accepted. */
  serial = -1;
  private cached: UpdaterReport | undefined;

  private refresh(): UpdaterReport {
    const u = this.updater.report();
    this.cached = u;
    this.serial = u.serial;
    return u;
  }

  /** What happens on the host during one interval, online or not (local safety needs no network). */
  async live(nowMs: number): Promise<void> {
    let restarts = 0;
    if (nowMs >= this.nextBackgroundCrash) {
      this.nextBackgroundCrash = nowMs + this.exp(this.world.backgroundCrashMeanMs);
      await this.crash(nowMs, this.rng.chance(this.world.insideShare));
      restarts++;
    }
    while (this.runningBad && this.world.fault.kind === 'crash-latent' && this.affected && nowMs >= this.nextTrigger && restarts < MAX_RESTARTS_PER_STEP) {
      // The rare event arrived: the content crashes the agent while evaluating it. After the
      // restart it may still be there (a file scanned again at start: a crash loop).
      this.nextTrigger = this.rng.chance(this.world.fault.latentPersists) ? nowMs : nowMs + this.exp(this.world.fault.latentMeanMs);
      await this.crash(nowMs, true);
      restarts++;
    }
  }

  /** The heartbeat this host sends now. */
  heartbeat(nowMs: number, intervalMs: number): HostReport {
    const r = this.report;
    // The updater's report changes only when it starts or applies: read it then (refresh()).
    const u = this.cached ?? this.refresh();
    const g = this.group;
    const bad = this.runningBad;
    while (this.nextDetection <= nowMs) {
      this.detections++;
      this.nextDetection += this.exp(HOUR / this.world.detectionsPerHour);
    }
    if (bad && this.world.fault.kind === 'fp-storm') this.detections += this.poisson((this.world.fault.stormPerHour * intervalMs) / HOUR);
    r.atMs = nowMs;
    r.loaded = u.loaded;
    r.crashes = u.crashes;
    r.contentCrashes = u.contentCrashes;
    r.contentErrors = u.contentErrors;
    r.reverts = u.reverts;
    r.restarts = u.restarts;
    r.detections = this.detections;
    r.cpuPercent = Math.max(0, g.cpuMean + g.cpuSd * this.rng.normal() + (bad && this.world.fault.kind === 'cpu-burn' ? this.world.fault.cpuBurn : 0));
    r.rssBytes = Math.max(16, g.rssMean + g.rssSd * this.rng.normal()) * MIB;
    return r;
  }

  async apply(d: Signed<Directive>, nowMs: number): Promise<void> {
    await this.updater.apply(d);
    this.cached = undefined;
    this.refresh();
    await this.afterLoad(nowMs, 0);
  }

  private async startAgent(): Promise<void> {
    this.runtime.reset();
    this.runtime.crashPending = false;
    this.updater = await ContentUpdater.start({
      runtimes: [this.runtime], trust: this.world.trust, source: this.world.source, store: this.store, bundles: this.bundles,
      now: () => this.world.clock.nowMs, sensorVersion: this.world.sensorVersion, featureSchemas: this.world.featureSchemas, log: this.world.log,
    });
    this.refresh();
  }

  /** After content loaded: a crash on load, and the clock of the latent fault. */
  private async afterLoad(nowMs: number, restarts: number): Promise<void> {
    if (this.runningBad && Number.isNaN(this.loadedBadAt)) this.loadedBadAt = nowMs;
    if (this.runtime.crashPending && restarts < MAX_RESTARTS_PER_STEP) {
      await this.crash(nowMs, true, restarts + 1);
      return;
    }
    if (this.runningBad && this.nextTrigger === Infinity) this.nextTrigger = nowMs + this.exp(this.world.fault.latentMeanMs);
    if (!this.runningBad) this.nextTrigger = Infinity;
  }

  /** The agent dies (inside content or not) and starts again on the same state. */
  private async crash(nowMs: number, insideContent: boolean, restarts = 1): Promise<void> {
    if (insideContent) this.updater.markInside('signatures');
    // No markStopped(): the process is gone. The new agent finds the unclean marker.
    await this.startAgent();
    await this.afterLoad(nowMs, restarts);
  }

  private exp(mean: number): number {
    return -Math.log(1 - this.rng.float()) * mean;
  }

  private poisson(lambda: number): number {
    const l = Math.exp(-lambda);
    let k = 0;
    let p = this.rng.float();
    while (p > l) {
      k++;
      p *= this.rng.float();
    }
    return k;
  }
}
