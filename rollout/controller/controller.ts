/**
 * The rollout controller: it hears every sensor's heartbeat (`ingest`), evaluates the health
 * gates of each live rollout on every heartbeat interval (`tick`), moves rollouts through their
 * rings or halts and rolls them back, and tells each host what to run (`directiveFor`).
 * Everything it decides goes to the audit log. It keeps no timers and reads no clock: callers
 * pass the time, so the same code runs live and in the fleet simulation on a simulated clock.
 */
import { VigieError } from '../../common/errors.js';
import type { ContentKind } from '../bundle/manifest.js';
import type { GateResult, HealthGate } from '../gates/gate.js';
import { RingMembership, type RingPlan } from '../rings/ring-plan.js';
import { tenantDecision, type GaVersion, type TenantControl } from '../rings/tenant-controls.js';
import type { Signed } from '../trust/index.js';
import type { AuditWriter } from './audit-writer.js';
import { buildCohortView } from './cohort.js';
import type { Directive, DirectiveTarget } from './directive.js';
import { DirectiveIssuer } from './directive-issuer.js';
import type { HostReport } from './host-report.js';
import { HostTable, snapshot, versionKey, type HostRecord } from './host-table.js';
import { modelRoutes, onCanary, type ModelRoute } from './model-routes.js';
import { canDo, isLive, type Rollout, type RolloutAction } from './rollout.js';
import { CONTROLLER_STATE_FORMAT, type ControllerState } from './state.js';

export interface ControllerOptions {
  plan: RingPlan;
  gates: readonly HealthGate[];
  /** The sensors' heartbeat interval, ms. */
  intervalMs: number;
  /** A host is silent after this many intervals without a heartbeat. */
  staleIntervals: number;
  sign: (d: Directive) => Signed<Directive>;
  directiveTtlMs: number;
  audit: AuditWriter;
}

export interface RolloutEvent {
  rollout: string;
  action: RolloutAction;
  atMs: number;
  reason: string;
}

/** One line of content: a kind and a name (a pack, or one model: process or network). */
interface ContentLine {
  kind: ContentKind;
  name: string;
  history: GaVersion[];
}

const lineKey = (kind: ContentKind, name: string): string => `${kind}\0${name}`;

export interface NewRollout {
  kind: ContentKind;
  name: string;
  version: string;
  sha256: string;
}

export class RolloutController {
  readonly hosts: HostTable;
  readonly membership: RingMembership;
  private readonly rollouts: Rollout[] = [];
  /** Generally available versions per content line (kind and name), oldest first. */
  private readonly ga = new Map<string, ContentLine>();
  private readonly controls = new Map<string, TenantControl>();
  private readonly rolledBack: Directive['rollback'] = [];
  private readonly issuer: DirectiveIssuer;
  private nextId = 1;

  constructor(private readonly o: ControllerOptions) {
    this.hosts = new HostTable();
    this.membership = new RingMembership(o.plan);
    this.issuer = new DirectiveIssuer({ sign: o.sign, ttlMs: o.directiveTtlMs });
  }

  /** Declares the version the fleet runs today (generally available), with its bundle digest. */
  install(kind: ContentKind, name: string, version: string, sha256: string, nowMs: number, actor = 'controller'): void {
    const entry = this.ga.get(lineKey(kind, name)) ?? { kind, name, history: [] };
    entry.history.push({ version, sha256, gaMs: nowMs });
    this.ga.set(lineKey(kind, name), entry);
    this.o.audit.append({ atMs: nowMs, actor, action: 'install', rollout: '', detail: { kind, name, version, sha256 } });
  }

  /** The generally available version of a line; without a name, of the kind's first line. */
  stable(kind: ContentKind, name?: string): GaVersion | undefined {
    const h = (name === undefined ? [...this.ga.values()].find((l) => l.kind === kind) : this.ga.get(lineKey(kind, name)))?.history;
    return h?.[h.length - 1];
  }

  get all(): readonly Rollout[] {
    return this.rollouts;
  }

  get(id: string): Rollout {
    const r = this.rollouts.find((x) => x.id === id);
    if (!r) throw new VigieError('VIGIE_ROLLOUT_NOT_FOUND', `no rollout ${id}`);
    return r;
  }

  /** A rollout of a bundle that passed pre-release validation. One live rollout per content line (kind and name). */
  create(b: NewRollout, nowMs: number, actor: string): Rollout {
    const base = this.stable(b.kind, b.name);
    if (!base) throw new VigieError('VIGIE_ROLLOUT_STATE', `no ${b.kind} ${b.name} version is installed yet: install one before rolling out another`);
    // Hosts carry one model version in the gates' view, so one model rollout at a time.
    const live = this.rollouts.find((r) => r.kind === b.kind && (r.name === b.name || b.kind === 'model') && (isLive(r) || r.state === 'validated'));
    if (live) throw new VigieError('VIGIE_ROLLOUT_STATE', `rollout ${live.id} of ${b.kind} ${live.version} is ${live.state}: finish, halt or roll it back first`);
    const r: Rollout = {
      id: `r${this.nextId++}`, kind: b.kind, name: b.name, version: b.version, sha256: b.sha256,
      previous: base.version, previousSha256: base.sha256, state: 'validated', ring: -1, ringSinceMs: nowMs, createdMs: nowMs, gates: [],
      baselineNew: snapshot(this.hosts.totalsOf(b.kind, b.version)), baselineOld: snapshot(this.hosts.totalsOf(b.kind, base.version)),
    };
    this.rollouts.push(r);
    this.audit(r, 'create', nowMs, actor, { version: b.version, previous: base.version, sha256: b.sha256 });
    return r;
  }

  start(id: string, nowMs: number, actor: string): void {
    const r = this.get(id);
    this.must(r, 'start');
    r.state = 'rolling';
    this.enterRing(r, 0, nowMs, actor);
  }

  pause(id: string, nowMs: number, actor: string, reason = ''): void {
    const r = this.get(id);
    this.must(r, 'pause');
    r.state = 'paused';
    this.audit(r, 'pause', nowMs, actor, { ring: r.ring, reason });
  }

  resume(id: string, nowMs: number, actor: string, reason = ''): void {
    const r = this.get(id);
    this.must(r, 'resume');
    r.state = 'rolling';
    this.audit(r, 'resume', nowMs, actor, { ring: r.ring, ...(reason ? { reason } : {}) });
  }

  /** Ends the current ring's bake now. Never past a failed gate: halted rollouts cannot promote. */
  promote(id: string, nowMs: number, actor: string, reason = 'promoted by hand'): void {
    const r = this.get(id);
    this.must(r, 'promote');
    if (r.gates.some((g) => g.verdict === 'fail')) throw new VigieError('VIGIE_ROLLOUT_STATE', `rollout ${id} has a failed gate`);
    r.state = 'rolling';
    this.advance(r, nowMs, actor, reason);
  }

  /** Stops the rollout and rolls every host that took it back to the previous version. */
  halt(id: string, nowMs: number, actor: string, reason: string): void {
    const r = this.get(id);
    this.must(r, 'halt');
    r.state = 'halted';
    r.haltedMs = nowMs;
    r.haltReason = reason;
    this.audit(r, 'halt', nowMs, actor, { ring: r.ring, reason, gates: r.gates });
    this.rollback(id, nowMs, actor);
  }

  rollback(id: string, nowMs: number, actor: string, reason?: string): void {
    const r = this.get(id);
    this.must(r, 'rollback');
    if (r.state !== 'halted') {
      r.haltedMs = nowMs;
      r.haltReason ??= reason ?? 'rolled back by hand';
    }
    if (r.state === 'complete') this.ga.get(lineKey(r.kind, r.name))?.history.pop();
    r.state = 'rolled_back';
    this.rolledBack.push({ kind: r.kind, name: r.name, version: r.version });
    this.audit(r, 'rollback', nowMs, actor, { to: r.previous, from: r.version, ...(reason ? { reason } : {}) });
  }

  setTenantControl(control: TenantControl, nowMs: number, actor: string): void {
    this.controls.set(control.tenant, control);
    this.o.audit.append({ atMs: nowMs, actor, action: 'tenant-control', rollout: '', detail: { ...control } });
  }

  tenantControl(tenant: string): TenantControl | undefined {
    return this.controls.get(tenant);
  }

  /** Last directive serial issued (0 before the first). */
  get directiveSerial(): number {
    return this.issuer.lastSerial;
  }

  /**
   * A copy of what must survive a restart: rollouts, GA history, tenant controls, the versions
   * rolled back, the next rollout id and the last directive serial. Not the host table: host
   * health is rebuilt from heartbeats.
   */
  exportState(): ControllerState {
    return structuredClone({
      format: CONTROLLER_STATE_FORMAT, rollouts: this.rollouts, ga: [...this.ga.values()].map((v) => ({ kind: v.kind, name: v.name, history: v.history })),
      controls: [...this.controls.values()], rolledBack: this.rolledBack, nextId: this.nextId, lastSerial: this.issuer.lastSerial,
    });
  }

  /**
   * Replaces the rollouts, GA history, tenant controls and rollbacks with `s` (a restart, or a
   * change another process saved); keeps the host table. Ids and serials never move back.
   * Baselines count from this controller's own host table: a rollout it already holds keeps its
   * own, one it has not seen (restart, created elsewhere) starts counting now.
   */
  importState(s: ControllerState): void {
    const held = new Map(this.rollouts.map((r) => [r.id, r]));
    this.rollouts.length = 0;
    for (const r of structuredClone(s.rollouts)) {
      const mine = held.get(r.id);
      const same = mine !== undefined && mine.createdMs === r.createdMs && mine.version === r.version;
      r.baselineNew = same ? mine.baselineNew : snapshot(this.hosts.totalsOf(r.kind, r.version));
      r.baselineOld = same ? mine.baselineOld : snapshot(this.hosts.totalsOf(r.kind, r.previous));
      this.rollouts.push(r);
    }
    this.ga.clear();
    for (const g of structuredClone(s.ga)) this.ga.set(lineKey(g.kind, g.name), { kind: g.kind, name: g.name, history: g.history });
    this.controls.clear();
    for (const c of structuredClone(s.controls)) this.controls.set(c.tenant, c);
    this.rolledBack.length = 0;
    this.rolledBack.push(...structuredClone(s.rolledBack));
    this.nextId = Math.max(this.nextId, s.nextId);
    this.issuer.continueAfter(s.lastSerial);
  }

  /**
   * A heartbeat. Sensors do not run models, so while a model rollout is live the host's model
   * version is the one the engine scores it with (its ring's), which is what the gates compare.
   */
  ingest(report: HostReport): HostRecord {
    const live = this.liveModel();
    if (!live || report.loaded.some((l) => l.kind === 'model')) return this.hosts.ingest(report);
    const h = this.hosts.hosts.get(report.host) ?? this.hosts.ingest(report);
    const version = onCanary(h, live, this.membership, (t) => this.controls.get(t)) ? live.version : live.previous;
    return this.hosts.ingest({ ...report, loaded: [...report.loaded, { kind: 'model', version }] });
  }

  /** Which model version the engine scores each host with (engine/score canary models). */
  modelRoutes(): ModelRoute[] {
    const lines = [...this.ga.values()].filter((l) => l.kind === 'model');
    return modelRoutes(lines, this.rollouts, this.hosts.hosts.values(), this.membership, (t) => this.controls.get(t));
  }

  private liveModel(): Rollout | undefined {
    return this.rollouts.find((r) => r.kind === 'model' && isLive(r));
  }

  /** Evaluates the gates of every live rollout; returns what changed. */
  tick(nowMs: number): RolloutEvent[] {
    const events: RolloutEvent[] = [];
    for (const r of this.rollouts) {
      if (r.state !== 'rolling' && r.state !== 'held' && r.state !== 'paused') continue;
      const view = buildCohortView(this.hosts, { kind: r.kind, version: r.version, previous: r.previous, baselineNew: r.baselineNew, baselineOld: r.baselineOld }, nowMs, this.o.intervalMs, this.o.staleIntervals * this.o.intervalMs);
      const results: GateResult[] = this.o.gates.map((g) => g.evaluate(view));
      r.gates = results;
      const failed = results.filter((g) => g.verdict === 'fail');
      if (failed.length > 0) {
        const reason = failed.map((g) => `${g.gate}: ${g.reason}`).join('; ');
        this.halt(r.id, nowMs, 'controller', reason);
        events.push({ rollout: r.id, action: 'halt', atMs: nowMs, reason });
        continue;
      }
      if (r.state === 'paused') continue;
      const spec = this.o.plan.rings[r.ring]!;
      if (nowMs - r.ringSinceMs < spec.bakeMs) continue;
      const last = r.ring === this.o.plan.rings.length - 1;
      const needed = Math.min(spec.minReportingHosts, this.hostsInReach(r));
      const waiting = last ? [] : results.filter((g) => g.verdict === 'inconclusive');
      if (waiting.length === 0 && view.reportingNew >= needed) {
        const action = this.advance(r, nowMs, 'controller', last ? 'last ring baked' : 'bake over, every gate passed');
        events.push({ rollout: r.id, action, atMs: nowMs, reason: '' });
      } else if (r.state === 'rolling') {
        r.state = 'held';
        const reason = [...(view.reportingNew < needed ? [`${view.reportingNew} of ${needed} hosts reporting on the new version`] : []), ...waiting.map((g) => `${g.gate}: ${g.reason}`)].join('; ');
        this.audit(r, 'hold', nowMs, 'controller', { ring: r.ring, reason, alert: true });
        events.push({ rollout: r.id, action: 'hold', atMs: nowMs, reason });
      }
    }
    return events;
  }

  /**
   * The signed directive for a host, or undefined when it already runs what it should.
   * Marks the host as sent the versions named (the heartbeat gate counts it from then on).
   */
  directiveFor(hostId: string, nowMs: number): Signed<Directive> | undefined {
    const h = this.hosts.hosts.get(hostId);
    if (!h) return undefined;
    const targets: DirectiveTarget[] = [];
    let differs = false;
    for (const { kind, name, history } of this.ga.values()) {
      if (kind === 'model') continue; // models run at the engine: modelRoutes()
      const t = this.targetFor(h, kind, name, history, nowMs);
      if (!t) continue;
      targets.push(t);
      if (h.signatures !== t.version) differs = true;
    }
    if (!differs) return undefined;
    for (const t of targets) {
      const key = versionKey(t.kind, t.version);
      if (!h.sentAtMs.has(key)) h.sentAtMs.set(key, nowMs);
    }
    return this.issuer.issue(targets, this.rolledBack, nowMs);
  }

  private targetFor(h: HostRecord, kind: ContentKind, name: string, history: GaVersion[], nowMs: number): DirectiveTarget | undefined {
    const d = tenantDecision(this.controls.get(h.tenant), kind, history, nowMs, (v) => this.known(kind, name, v));
    if (d.take === 'keep') return undefined;
    if (d.take === 'version') return { kind, name, version: d.version, sha256: d.sha256 };
    const live = this.rollouts.find((r) => r.kind === kind && r.name === name && isLive(r));
    if (live && this.membership.ringOf(h.id) <= live.ring) return { kind, name, version: live.version, sha256: live.sha256 };
    const stable = history[history.length - 1]!;
    return { kind, name, version: stable.version, sha256: stable.sha256 };
  }

  private known(kind: ContentKind, name: string, version: string): GaVersion | undefined {
    const ga = this.ga.get(lineKey(kind, name))?.history.find((v) => v.version === version);
    if (ga) return ga;
    const r = this.rollouts.find((x) => x.kind === kind && x.name === name && x.version === version && x.state !== 'rolled_back');
    return r ? { version: r.version, sha256: r.sha256, gaMs: r.createdMs } : undefined;
  }

  private hostsInReach(r: Rollout): number {
    let n = 0;
    for (const h of this.hosts.hosts.values()) if (this.membership.ringOf(h.id) <= r.ring) n++;
    return n;
  }

  private advance(r: Rollout, nowMs: number, actor: string, reason: string): RolloutAction {
    if (r.ring >= this.o.plan.rings.length - 1) {
      r.state = 'complete';
      const entry = this.ga.get(lineKey(r.kind, r.name))!;
      entry.history.push({ version: r.version, sha256: r.sha256, gaMs: nowMs });
      this.audit(r, 'complete', nowMs, actor, { reason, gates: r.gates });
      return 'complete';
    }
    r.state = 'rolling';
    this.enterRing(r, r.ring + 1, nowMs, actor, reason);
    return 'advance';
  }

  private enterRing(r: Rollout, ring: number, nowMs: number, actor: string, reason = ''): void {
    r.ring = ring;
    r.ringSinceMs = nowMs;
    this.audit(r, ring === 0 ? 'start' : 'advance', nowMs, actor, { ring, ringName: this.o.plan.rings[ring]!.name, reason, gates: r.gates });
  }

  private must(r: Rollout, action: RolloutAction): void {
    if (!canDo(r, action)) throw new VigieError('VIGIE_ROLLOUT_STATE', `cannot ${action} rollout ${r.id}: it is ${r.state}`);
  }

  private audit(r: Rollout, action: string, atMs: number, actor: string, detail: Record<string, unknown>): void {
    this.o.audit.append({ atMs, actor, action, rollout: r.id, detail: { kind: r.kind, version: r.version, ...detail } });
  }
}
