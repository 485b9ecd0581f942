/**
 * RolloutService: a RolloutController whose state lives in SQLite. Every action (install,
 * create, start, pause, resume, promote, halt, rollback, tenant controls, the periodic tick) is
 * one IMMEDIATE transaction: take in what another process saved, apply the action, save, append
 * its audit entries. The CLI opens the service, acts once and closes; `vigie controller` keeps
 * one open, with a live host table fed by heartbeats. Expected failures come back as Results
 * (VIGIE_ROLLOUT_STATE for an illegal transition); the failed action's changes are discarded.
 */
import { fail, ok, VigieError, type Result, type VigieProblem } from '../../common/errors.js';
import { SqliteAuditSink, type AuditSink } from '../audit/index.js';
import { RolloutController, type RolloutEvent } from '../controller/controller.js';
import type { Directive } from '../controller/directive.js';
import type { Rollout, RolloutState } from '../controller/rollout.js';
import { CONTROLLER_STATE_FORMAT, type ControllerState } from '../controller/state.js';
import { defaultGates, type HealthGate } from '../gates/index.js';
import type { RingPlan } from '../rings/ring-plan.js';
import type { TenantControl } from '../rings/tenant-controls.js';
import type { Signed } from '../trust/index.js';
import { admit, type Admission, type AdmissionSummary } from './admission.js';
import { AuditAppender } from './audit-appender.js';
import { checkAgainstState, readBundle, readStoredPayload, storeBundle, type IncomingBundle } from './bundle-intake.js';
import { controllerConfigSchema, ringPlanOf } from './config.js';
import { hostsViews } from './hosts-view.js';
import { StateStore, type BundleRecord } from './state-store.js';
import { buildStatus, type StatusReport } from './status.js';
import { applyTenantChange, type TenantChange } from './tenant-change.js';

const D = controllerConfigSchema;
/** States in which a rollout holds its kind: no second rollout, no new base, no new ring plan. */
const LIVE: readonly RolloutState[] = ['validated', 'rolling', 'held', 'paused'];

export interface RolloutServiceOptions {
  db: string;
  bundleDir: string;
  /** The plan to run with. Undefined: the saved one, else the default. A new plan is refused while a rollout is live. */
  plan?: RingPlan;
  intervalMs?: number;
  staleIntervals?: number;
  directiveTtlMs?: number;
  /** Signs directives (the service process); CLI processes issue none and leave it out. */
  sign?: (d: Directive) => Signed<Directive>;
  gates?: readonly HealthGate[];
  clock?: () => number;
}

export interface BundleAction {
  /** The pinned root the bundle must verify against. */
  root: string;
  actor: string;
}

export class RolloutService {
  /** The store revision the controller holds (-1: none yet). */
  private seen = -1;
  /** The highest directive serial known saved. */
  private savedSerial = 0;

  private constructor(
    readonly store: StateStore,
    readonly audit: AuditSink,
    readonly controller: RolloutController,
    private readonly appender: AuditAppender,
    readonly plan: RingPlan,
    private readonly o: RolloutServiceOptions,
    private readonly clock: () => number,
  ) {}

  static open(o: RolloutServiceOptions): Result<RolloutService> {
    const opened = StateStore.open(o.db);
    if (!opened.ok) return opened;
    const store = opened.value;
    // The audit sink creates its table and append-only triggers, and reads the log.
    const audit = SqliteAuditSink.open(o.db);
    if (!audit.ok) {
      store.close();
      return audit;
    }
    const clock = o.clock ?? Date.now;
    const appender = new AuditAppender(store.db, clock);
    const saved = store.plan();
    let ringPlan = o.plan ?? saved;
    if (ringPlan === undefined) {
      const byDefault = ringPlanOf({ ring0Hosts: D.ring0Hosts.default, ringBakeMinutes: D.ringBakeMinutes.default });
      if (!byDefault.ok) throw VigieError.from(byDefault.error); // the schema's defaults make a valid plan
      ringPlan = byDefault.value;
    }
    const controller = new RolloutController({
      plan: ringPlan, gates: o.gates ?? defaultGates(), intervalMs: o.intervalMs ?? D.intervalMs.default, staleIntervals: o.staleIntervals ?? D.staleIntervals.default,
      directiveTtlMs: o.directiveTtlMs ?? D.directiveTtlHours.default * 3_600_000, audit: appender,
      sign: o.sign ?? (() => { throw new VigieError('VIGIE_TRUST_INVALID', 'this process holds no directive keys: directives are signed by `vigie controller`'); }),
    });
    const service = new RolloutService(store, audit.value, controller, appender, ringPlan, o, clock);
    const planned = service.adoptPlan(ringPlan, saved);
    if (!planned.ok) {
      service.close();
      return planned;
    }
    return ok(service);
  }

  /** Declares the version the fleet runs today for the bundle's kind (its GA base). */
  install(file: string, a: BundleAction): Result<BundleRecord> {
    const nowMs = this.clock();
    const b = readBundle(file, a.root, nowMs);
    if (!b.ok) return b;
    return this.act((c) => {
      const s = c.exportState();
      const live = s.rollouts.find((r) => r.kind === b.value.manifest.kind && r.name === b.value.manifest.name && LIVE.includes(r.state));
      if (live) throw new VigieError('VIGIE_ROLLOUT_STATE', `rollout ${live.id} of ${live.kind} ${live.version} is ${live.state}: the base cannot change under it`);
      const record = this.register(b.value, s, a.actor, nowMs);
      c.install(record.kind, record.name, record.version, record.sha256, nowMs, a.actor);
      return record;
    });
  }

  /** Verifies, validates (or checks a validation report), registers the bundle, creates the rollout. */
  async create(file: string, a: BundleAction & { admission: Admission }): Promise<Result<{ rollout: Rollout; validation: AdmissionSummary }>> {
    const b = readBundle(file, a.root, this.clock());
    if (!b.ok) return b;
    this.refresh();
    const before = this.controller.exportState();
    const pre = checkAgainstState(b.value.manifest, before, file);
    if (!pre.ok) return pre;
    const m = b.value.manifest;
    const base = before.ga.find((g) => g.kind === m.kind && g.name === m.name)?.history.at(-1);
    if (!base) return fail('VIGIE_ROLLOUT_STATE', `no ${m.kind} version is installed yet: vigie rollout install BUNDLE first`, { file });
    // Checked again when the rollout is made; here so as not to validate for nothing.
    const live = before.rollouts.find((r) => r.kind === m.kind && r.name === m.name && LIVE.includes(r.state));
    if (live) return fail('VIGIE_ROLLOUT_STATE', `rollout ${live.id} of ${m.kind} ${live.version} is ${live.state}: finish, halt or roll it back first`, { file });
    const baseBundle = this.store.bundle(base.sha256);
    const basePayload = baseBundle ? readStoredPayload(baseBundle.path) : undefined;
    // Validation runs outside the transaction: it takes seconds and must not hold the write lock.
    const admitted = await admit(b.value, basePayload && baseBundle ? { payload: basePayload, file: baseBundle.path } : undefined, a.admission);
    if (!admitted.ok) {
      // A bundle that validation stopped is a decision worth a trace, though nothing changed.
      const e = admitted.error;
      const traced = this.act((_c, now) => this.appender.append({ atMs: now, actor: a.actor, action: 'validation-blocked', rollout: '', detail: { kind: m.kind, name: m.name, version: m.version, sha256: m.sha256, code: e.code, message: e.message, ...(e.location ? { location: { ...e.location } } : {}) } }));
      return traced.ok ? admitted : traced;
    }
    const nowMs = this.clock();
    return this.act((c) => {
      const record = this.register(b.value, c.exportState(), a.actor, nowMs);
      this.appender.append({ atMs: nowMs, actor: a.actor, action: 'validation', rollout: '', detail: { ...admitted.value, version: record.version, kind: record.kind } });
      const rollout = c.create({ kind: record.kind, name: record.name, version: record.version, sha256: record.sha256 }, nowMs, a.actor);
      return { rollout: structuredClone(rollout), validation: admitted.value };
    });
  }

  start(id: string, actor: string): Result<Rollout> {
    return this.onRollout(id, (c, now) => c.start(id, now, actor));
  }

  pause(id: string, actor: string, reason = ''): Result<Rollout> {
    return this.onRollout(id, (c, now) => c.pause(id, now, actor, reason));
  }

  resume(id: string, actor: string, reason = ''): Result<Rollout> {
    return this.onRollout(id, (c, now) => c.resume(id, now, actor, reason));
  }

  promote(id: string, actor: string, reason?: string): Result<Rollout> {
    return this.onRollout(id, (c, now) => c.promote(id, now, actor, reason));
  }

  halt(id: string, actor: string, reason = 'halted by hand'): Result<Rollout> {
    return this.onRollout(id, (c, now) => c.halt(id, now, actor, reason));
  }

  rollback(id: string, actor: string, reason?: string): Result<Rollout> {
    return this.onRollout(id, (c, now) => c.rollback(id, now, actor, reason));
  }

  /** Changes one tenant's controls (pin or unpin a version, pause, delay, one behind). */
  tenant(tenant: string, change: TenantChange, actor: string): Result<TenantControl> {
    return this.act((c, now) => {
      const next = applyTenantChange(c.tenantControl(tenant) ?? { tenant }, change, c.exportState());
      c.setTenantControl(next, now, actor);
      return structuredClone(next);
    });
  }

  /** One gate evaluation of every live rollout (the service's timer), and the host counts for status. */
  tick(): Result<RolloutEvent[]> {
    return this.act((c, now) => {
      const events = c.tick(now);
      this.store.saveHostsViews(hostsViews(c, now, (this.o.staleIntervals ?? D.staleIntervals.default) * (this.o.intervalMs ?? D.intervalMs.default)));
      this.store.setLastTick(now, c.hosts.hosts.size);
      return events;
    });
  }

  /** Takes in what another process saved, if anything (cheap when nothing changed). */
  refresh(): void {
    if (this.store.revision() === this.seen) return;
    this.store.db.transaction(() => this.importSaved())();
  }

  /** Saves the directive serial if the controller issued a new one (before it reaches any sensor). */
  noteSerial(): void {
    const serial = this.controller.directiveSerial;
    if (serial > this.savedSerial) {
      this.store.saveSerial(serial);
      this.savedSerial = serial;
    }
  }

  status(id?: string): Result<StatusReport> {
    this.refresh();
    if (id !== undefined && !this.controller.all.some((r) => r.id === id)) return fail('VIGIE_ROLLOUT_NOT_FOUND', `no rollout ${id}`, { field: 'id' });
    return ok(buildStatus(this.controller.exportState(), this.plan, this.store, this.clock(), id));
  }

  close(): void {
    this.audit.close();
    this.store.close();
  }

  private onRollout(id: string, fn: (c: RolloutController, nowMs: number) => void): Result<Rollout> {
    return this.act((c, now) => {
      fn(c, now);
      return structuredClone(c.get(id));
    });
  }

  private register(b: IncomingBundle, s: ControllerState, actor: string, nowMs: number): BundleRecord {
    const checked = checkAgainstState(b.manifest, s, b.file);
    if (!checked.ok) throw VigieError.from(checked.error);
    const path = storeBundle(this.o.bundleDir, b);
    if (!path.ok) throw VigieError.from(path.error);
    const m = b.manifest;
    const record: BundleRecord = { sha256: m.sha256, kind: m.kind, name: m.name, version: m.version, path: path.value, manifest: m, registeredMs: nowMs, actor };
    this.store.registerBundle(record);
    return record;
  }

  /** Saves the plan when the store has none or it changed; refuses a change under a live rollout. */
  private adoptPlan(plan: RingPlan, saved: RingPlan | undefined): Result<void> {
    if (saved !== undefined && JSON.stringify(saved) === JSON.stringify(plan)) {
      this.refresh();
      return ok(undefined);
    }
    return this.act((c, now) => {
      const live = c.all.find((r) => LIVE.includes(r.state));
      if (saved !== undefined && live) throw new VigieError('VIGIE_ROLLOUT_STATE', `the ring plan cannot change while rollout ${live.id} is ${live.state}`);
      this.store.setPlan(plan);
      this.appender.append({ atMs: now, actor: 'controller', action: 'plan', rollout: '', detail: { rings: plan.rings.map((r) => ({ ...r, ...(r.hosts ? { hosts: [...r.hosts] } : {}) })) } });
    });
  }

  private act<T>(fn: (c: RolloutController, nowMs: number) => T): Result<T> {
    try {
      return ok(this.store.transaction(() => {
        if (this.store.revision() !== this.seen) this.importSaved();
        const value = fn(this.controller, this.clock());
        this.seen = this.store.save(this.controller.exportState());
        this.savedSerial = Math.max(this.savedSerial, this.controller.directiveSerial);
        return value;
      }));
    } catch (e) {
      // The transaction rolled back: put the controller back to what is saved.
      try {
        this.store.db.transaction(() => this.importSaved())();
      } catch {
        this.seen = -1; // the store is unusable now; the next action tries again
      }
      if (e instanceof VigieError) return { ok: false, error: problemOf(e) };
      if ((e as { code?: string }).code?.startsWith('SQLITE_')) return fail('VIGIE_STORE_IO', `rollout store: ${(e as Error).message}`, { file: this.o.db });
      throw e;
    }
  }

  private importSaved(): void {
    this.controller.importState(this.store.load() ?? emptyState());
    this.seen = this.store.revision();
    this.savedSerial = Math.max(this.savedSerial, this.store.lastSerial());
  }
}

function emptyState(): ControllerState {
  return { format: CONTROLLER_STATE_FORMAT, rollouts: [], ga: [], controls: [], rolledBack: [], nextId: 1, lastSerial: 0 };
}

/** A VigieError as a problem, without the code and location its message repeats. */
function problemOf(e: VigieError): VigieProblem {
  let message = e.message.startsWith(`${e.code}: `) ? e.message.slice(e.code.length + 2) : e.message;
  if (e.location) message = message.replace(/ \([^()]*\)$/, '');
  return e.location ? { code: e.code, message, location: e.location } : { code: e.code, message };
}
