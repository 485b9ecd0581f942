/**
 * The controller's state in SQLite (WAL), in the same file as the audit log: bundles registered,
 * GA history per kind, rollouts, tenant controls, versions rolled back, the next rollout id, the
 * directive serial and the ring plan. `revision` counts saves, so a process holding a live
 * controller (the service) sees when another (the CLI) changed the state.
 * Writers go through `transaction` (BEGIN IMMEDIATE): load, apply, save are one step even with
 * several processes on the file.
 */
import type Database from 'better-sqlite3';
import { openSqlite } from '../../common/sqlite.js';
import { fail, ok, type Result } from '../../common/errors.js';
import type { BundleManifest, ContentKind } from '../bundle/manifest.js';
import { CONTROLLER_STATE_FORMAT, type ControllerState } from '../controller/state.js';
import type { Rollout, RolloutState } from '../controller/rollout.js';
import type { RingPlan } from '../rings/ring-plan.js';
import type { TenantControl } from '../rings/tenant-controls.js';
import { jsonSafe, STORE_MIGRATIONS, type BundleRow, type RolloutRow } from './store-schema.js';

export interface BundleRecord {
  sha256: string;
  kind: ContentKind;
  name: string;
  version: string;
  /** The copy in the bundle directory. */
  path: string;
  manifest: BundleManifest;
  registeredMs: number;
  actor: string;
}

/** What the service's last tick saw of one rollout's hosts (the CLI has no host table). */
export interface HostsView {
  rollout: string;
  atMs: number;
  hostsNew: number;
  hostsOld: number;
  hostsHeard: number;
}

export class StateStore {
  private readonly meta;
  private readonly setMeta;

  private constructor(readonly db: Database.Database, readonly file: string) {
    this.meta = db.prepare<[string], { value: string }>('SELECT value FROM rollout_meta WHERE key = ?');
    this.setMeta = db.prepare('INSERT INTO rollout_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  }

  /** Opens (creating the file and tables if missing). VIGIE_STORE_IO when it cannot. */
  static open(file: string): Result<StateStore> {
    try {
      const db = openSqlite(file);
      try {
        db.transaction(() => {
          db.exec('CREATE TABLE IF NOT EXISTS rollout_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
          const row = db.prepare<[], { value: string }>("SELECT value FROM rollout_meta WHERE key = 'migrations'").get();
          const applied = row ? Number(row.value) : 0;
          for (let i = applied; i < STORE_MIGRATIONS.length; i++) db.exec(STORE_MIGRATIONS[i]!);
          db.prepare("INSERT INTO rollout_meta (key, value) VALUES ('migrations', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(String(STORE_MIGRATIONS.length));
        }).immediate();
        return ok(new StateStore(db, file));
      } catch (e) {
        db.close();
        throw e;
      }
    } catch (e) {
      return fail('VIGIE_STORE_IO', `cannot open the rollout store: ${(e as Error).message}`, { file });
    }
  }

  /** Runs `fn` in one IMMEDIATE transaction (other writers wait up to the busy timeout). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  revision(): number {
    return Number(this.meta.get('revision')?.value ?? 0);
  }

  /** The saved state, or undefined when nothing was ever saved. */
  load(): ControllerState | undefined {
    if (this.meta.get('revision') === undefined) return undefined;
    const ga = new Map<ContentKind, ControllerState['ga'][number]>();
    for (const g of this.db.prepare<[], { kind: ContentKind; name: string; version: string; sha256: string; ga_ms: number }>('SELECT * FROM rollout_ga ORDER BY kind, pos').all()) {
      let entry = ga.get(g.kind);
      if (!entry) ga.set(g.kind, (entry = { kind: g.kind, name: g.name, history: [] }));
      entry.history.push({ version: g.version, sha256: g.sha256, gaMs: g.ga_ms });
    }
    return {
      format: CONTROLLER_STATE_FORMAT,
      rollouts: this.db.prepare<[], RolloutRow>('SELECT * FROM rollout_rollouts ORDER BY created_ms, id').all().map(toRollout),
      ga: [...ga.values()],
      controls: this.db.prepare<[], { control: string }>('SELECT control FROM rollout_tenant_controls ORDER BY tenant').all().map((r) => JSON.parse(r.control) as TenantControl),
      rolledBack: this.db.prepare<[], { kind: ContentKind; name: string; version: string }>('SELECT kind, name, version FROM rollout_rolled_back ORDER BY pos').all(),
      nextId: Number(this.meta.get('next_id')?.value ?? 1),
      lastSerial: this.lastSerial(),
    };
  }

  /** Replaces the saved state with `s` and counts a revision; returns the new revision. */
  save(s: ControllerState): number {
    const db = this.db;
    db.exec('DELETE FROM rollout_ga; DELETE FROM rollout_rollouts; DELETE FROM rollout_tenant_controls; DELETE FROM rollout_rolled_back;');
    const ga = db.prepare('INSERT INTO rollout_ga (kind, pos, name, version, sha256, ga_ms) VALUES (?, ?, ?, ?, ?, ?)');
    for (const g of s.ga) g.history.forEach((v, i) => ga.run(g.kind, i, g.name, v.version, v.sha256, v.gaMs));
    const ro = db.prepare(`INSERT INTO rollout_rollouts VALUES (@id, @kind, @name, @version, @sha256, @previous, @previous_sha256, @state, @ring,
      @ring_since_ms, @created_ms, @halted_ms, @halt_reason, @gates, @baseline_new, @baseline_old)`);
    for (const r of s.rollouts) ro.run(fromRollout(r));
    const tc = db.prepare('INSERT INTO rollout_tenant_controls (tenant, control) VALUES (?, ?)');
    for (const c of s.controls) tc.run(c.tenant, JSON.stringify(c));
    const rb = db.prepare('INSERT INTO rollout_rolled_back (pos, kind, name, version) VALUES (?, ?, ?, ?)');
    s.rolledBack.forEach((v, i) => rb.run(i, v.kind, v.name, v.version));
    this.setMeta.run('next_id', String(s.nextId));
    this.saveSerial(s.lastSerial);
    const revision = this.revision() + 1;
    this.setMeta.run('revision', String(revision));
    return revision;
  }

  lastSerial(): number {
    return Number(this.meta.get('last_serial')?.value ?? 0);
  }

  /** The serial only moves forward, whoever saves (a CLI process holds an older copy). */
  saveSerial(serial: number): void {
    if (serial > this.lastSerial()) this.setMeta.run('last_serial', String(serial));
  }

  plan(): RingPlan | undefined {
    const v = this.meta.get('plan')?.value;
    return v === undefined ? undefined : (JSON.parse(v) as RingPlan);
  }

  setPlan(plan: RingPlan): void {
    this.setMeta.run('plan', JSON.stringify(plan));
  }

  registerBundle(b: BundleRecord): void {
    this.db.prepare(`INSERT INTO rollout_bundles (sha256, kind, name, version, path, manifest, registered_ms, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (sha256) DO NOTHING`).run(b.sha256, b.kind, b.name, b.version, b.path, JSON.stringify(b.manifest), b.registeredMs, b.actor);
  }

  bundle(sha256: string): BundleRecord | undefined {
    const r = this.db.prepare<[string], BundleRow>('SELECT * FROM rollout_bundles WHERE sha256 = ?').get(sha256);
    return r && toBundle(r);
  }

  bundles(): BundleRecord[] {
    return this.db.prepare<[], BundleRow>('SELECT * FROM rollout_bundles ORDER BY registered_ms, sha256').all().map(toBundle);
  }

  saveHostsViews(views: readonly HostsView[]): void {
    this.db.exec('DELETE FROM rollout_hosts_view');
    const ins = this.db.prepare('INSERT INTO rollout_hosts_view VALUES (@rollout, @atMs, @hostsNew, @hostsOld, @hostsHeard)');
    for (const v of views) ins.run(v);
  }

  hostsViews(): HostsView[] {
    return this.db.prepare<[], HostsView>(`SELECT rollout, at_ms AS atMs, hosts_new AS hostsNew, hosts_old AS hostsOld,
      hosts_heard AS hostsHeard FROM rollout_hosts_view`).all();
  }

  setLastTick(atMs: number, hostsHeard: number): void {
    this.setMeta.run('last_tick', JSON.stringify({ atMs, hostsHeard }));
  }

  lastTick(): { atMs: number; hostsHeard: number } | undefined {
    const v = this.meta.get('last_tick')?.value;
    return v === undefined ? undefined : (JSON.parse(v) as { atMs: number; hostsHeard: number });
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function fromRollout(r: Rollout): RolloutRow {
  return {
    id: r.id, kind: r.kind, name: r.name, version: r.version, sha256: r.sha256, previous: r.previous, previous_sha256: r.previousSha256,
    state: r.state, ring: r.ring, ring_since_ms: r.ringSinceMs, created_ms: r.createdMs, halted_ms: r.haltedMs ?? null, halt_reason: r.haltReason ?? null,
    gates: JSON.stringify(jsonSafe(r.gates)), baseline_new: JSON.stringify(r.baselineNew), baseline_old: JSON.stringify(r.baselineOld),
  };
}

function toRollout(r: RolloutRow): Rollout {
  return {
    id: r.id, kind: r.kind as ContentKind, name: r.name, version: r.version, sha256: r.sha256, previous: r.previous, previousSha256: r.previous_sha256,
    state: r.state as RolloutState, ring: r.ring, ringSinceMs: r.ring_since_ms, createdMs: r.created_ms,
    ...(r.halted_ms === null ? {} : { haltedMs: r.halted_ms }), ...(r.halt_reason === null ? {} : { haltReason: r.halt_reason }),
    gates: JSON.parse(r.gates) as Rollout['gates'], baselineNew: JSON.parse(r.baseline_new) as Rollout['baselineNew'], baselineOld: JSON.parse(r.baseline_old) as Rollout['baselineOld'],
  };
}

function toBundle(r: BundleRow): BundleRecord {
  return { sha256: r.sha256, kind: r.kind as ContentKind, name: r.name, version: r.version, path: r.path, manifest: JSON.parse(r.manifest) as BundleManifest, registeredMs: r.registered_ms, actor: r.actor };
}
