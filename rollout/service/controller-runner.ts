/**
 * The controller as a running service (`vigie controller`, the all-in-one): opens the
 * RolloutService with the directive keys, ticks it every heartbeat interval (the one timer of the
 * rollout code), and exposes the ControllerLink the engine's rollout link calls on every
 * heartbeat. After a start it listens `warmupIntervals` intervals before the first tick: host
 * health lives in memory and is rebuilt from heartbeats, and gates must not judge an empty table.
 */
import { fail, ok, type Result } from '../../common/errors.js';
import type { Logger } from '../../common/log.js';
import type { RolloutLink } from '../../engine/rollout-link/index.js';
import type { RolloutEvent } from '../controller/controller.js';
import { join } from 'node:path';
import { FEATURE_SCHEMA_VERSION } from '../../models/features/index.js';
import { readRoleKeys, readRootFile, ROOT_FILE, signDocument, TrustStore } from '../trust/index.js';
import { ModelLink, type ModelTarget } from './model-link.js';
import { ringPlanOf, type ControllerConfig } from './config.js';
import { ControllerLink, type ControllerLinkOptions } from './controller-link.js';
import { RolloutService } from './rollout-service.js';

export interface RunnerOptions {
  log: Logger;
  clock?: () => number;
  labels?: ControllerLinkOptions['labels'];
  /** Called with what each tick changed (advance, hold, halt, complete). */
  onEvents?: (events: RolloutEvent[]) => void;
}

export class ControllerRunner {
  readonly link: ControllerLink;
  readonly counters = { ticks: 0, skipped: 0, tickErrors: 0 };
  private timer: NodeJS.Timeout | undefined;
  private startedMs = 0;
  private models: ModelLink | undefined;
  private readonly clock: () => number;

  private constructor(readonly service: RolloutService, private readonly config: ControllerConfig, private readonly o: RunnerOptions) {
    this.clock = o.clock ?? Date.now;
    this.link = new ControllerLink(service, { clock: this.clock, log: o.log, ...(o.labels ? { labels: o.labels } : {}) });
  }

  /** Loads the directive keys and the ring plan, opens the store. Does not start the timer. */
  static open(config: ControllerConfig, o: RunnerOptions): Result<ControllerRunner> {
    const keys = readRoleKeys(config.keysDir, 'directive');
    if (!keys.ok) return fail(keys.error.code, `${keys.error.message} (vigie rollout keys init creates them)`, keys.error.location);
    const plan = ringPlanOf(config);
    if (!plan.ok) return plan;
    const service = RolloutService.open({
      db: config.db, bundleDir: config.bundleDir, plan: plan.value, intervalMs: config.intervalMs, staleIntervals: config.staleIntervals,
      directiveTtlMs: config.directiveTtlHours * 3_600_000, sign: (d) => signDocument(d, keys.value), ...(o.clock ? { clock: o.clock } : {}),
    });
    return service.ok ? ok(new ControllerRunner(service.value, config, o)) : service;
  }

  /**
   * Makes the engine feed heartbeats to the controller and send its directives; with `models`
   * (the engine), model rollouts move the engine's canary models too (model-link.ts). Model
   * bundles are verified against the root in the keys directory; without it, models stay put.
   */
  attach(link: RolloutLink, models?: ModelTarget): void {
    link.observer = this.link.observe;
    link.directives = this.link;
    if (!models) return;
    const root = readRootFile(join(this.config.keysDir, ROOT_FILE));
    const trust = root.ok ? TrustStore.fromRoot(root.value, this.clock()) : root;
    if (!trust.ok) {
      this.o.log.warn('model rollouts do not reach the engine: no usable root to verify model bundles', { code: trust.error.code, message: trust.error.message });
      return;
    }
    this.models = new ModelLink({
      target: models, trust: trust.value, featureSchemas: [FEATURE_SCHEMA_VERSION], log: this.o.log, clock: this.clock,
      bundlePath: (sha) => this.service.store.bundle(sha)?.path,
    });
  }

  start(): void {
    this.startedMs = this.clock();
    this.timer = setInterval(() => this.tickOnce(), this.config.intervalMs);
    this.timer.unref();
  }

  /** One tick, unless still warming up. Errors are logged; the next tick tries again. */
  tickOnce(): RolloutEvent[] {
    if (this.clock() - this.startedMs < this.config.warmupIntervals * this.config.intervalMs) {
      this.counters.skipped++;
      return [];
    }
    const r = this.service.tick();
    if (!r.ok) {
      this.counters.tickErrors++;
      this.o.log.error('rollout controller tick failed', { code: r.error.code, message: r.error.message });
      return [];
    }
    this.counters.ticks++;
    if (this.models) void this.models.sync(this.service.controller.modelRoutes());
    for (const e of r.value) this.o.log[e.action === 'halt' || e.action === 'hold' ? 'warn' : 'info'](`rollout ${e.rollout}: ${e.action}`, { ...e });
    if (r.value.length > 0) this.o.onEvents?.(r.value);
    return r.value;
  }

  /** Stops ticking and closes the store; detach the engine first (or stop it). */
  stop(link?: RolloutLink): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (link?.directives === this.link) {
      link.directives = { directiveFor: () => undefined };
      link.observer = undefined;
    }
    this.service.close();
  }
}
