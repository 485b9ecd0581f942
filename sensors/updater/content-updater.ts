/**
 * The sensor's content updater: takes signed directives, fetches and verifies bundles, builds the
 * new content beside the running one, swaps, keeps the last-known-good, and reverts on its own
 * after repeated crashes (crash-recovery.ts). Everything it must remember across a crash is in
 * the state, saved BEFORE each load: a process that dies mid-load tells the next start what it
 * was loading. No timers, no I/O of its own (the store, cache and source do it), time injected:
 * the fleet simulation runs ten thousand of these in one process on a simulated clock.
 */
import { fail, type Result, type VigieProblem } from '../../common/errors.js';
import type { Logger } from '../../common/log.js';
import { compareVersions, decodeBundle, verifyBundle, type ContentKind, type VerifiedBundle } from '../../rollout/bundle/index.js';
import type { Directive, DirectiveTarget } from '../../rollout/controller/directive.js';
import type { Signed, TrustStore } from '../../rollout/trust/index.js';
import { decideReverts, recordCrash, type CrashPolicy } from './crash-recovery.js';
import { ban, bump, floorKey, freshState, isBanned, refOf, withFailure, type ContentRef, type UpdaterState } from './state.js';
import type { ApplyOutcome, BundleCache, BundleSource, ContentRuntime, TargetOutcome, UpdaterReport, UpdaterStore } from './types.js';

export interface ContentUpdaterOptions {
  runtimes: ContentRuntime[];
  trust: TrustStore;
  source: BundleSource;
  store: UpdaterStore;
  /** The sensor's own copies: must outlive a restart (in the simulation, keep one per host). */
  bundles: BundleCache;
  now: () => number;
  sensorVersion: string;
  featureSchemas: readonly string[];
  /** Crashes counted toward a revert happen within this long after a directive loaded the version. */
  crashWindowMs?: number;
  crashesToRevert?: number;
  log: Logger;
}

export const UPDATER_DEFAULTS = { crashWindowMs: 300_000, crashesToRevert: 2 } as const;

const same = (a: { kind: ContentKind; name: string; version: string }, b: { kind: ContentKind; name: string; version: string }): boolean =>
  a.kind === b.kind && a.name === b.name && a.version === b.version;

export class ContentUpdater {
  private busy: Promise<unknown> = Promise.resolve();
  private readonly byKind = new Map<ContentKind, ContentRuntime>();

  private constructor(private readonly o: ContentUpdaterOptions, private readonly s: UpdaterState, private readonly policy: CrashPolicy) {
    for (const rt of o.runtimes) this.byKind.set(rt.kind, rt);
  }

  /**
   * Reads the state, counts the crash an unclean marker stands for, reverts what crashed too often
   * too soon, sets the marker, and loads the cached content (verified when it was accepted; its
   * expiry is not checked again: expiry never stops detection with what a sensor already has).
   */
  static async start(o: ContentUpdaterOptions): Promise<ContentUpdater> {
    const policy: CrashPolicy = { crashWindowMs: o.crashWindowMs ?? UPDATER_DEFAULTS.crashWindowMs, crashesToRevert: o.crashesToRevert ?? UPDATER_DEFAULTS.crashesToRevert };
    const prior = o.store.load();
    const s = prior ?? freshState();
    const now = o.now();
    if (prior) {
      s.restarts++;
      if (prior.running) {
        recordCrash(s, now, policy);
        o.log.warn('content updater: the agent did not stop cleanly; crash attributed to the content loaded', { loaded: Object.values(s.loaded).map((l) => `${l.kind}:${l.version}`) });
      }
    }
    for (const r of decideReverts(s, now, policy)) {
      o.log.warn('content updater: reverted to last-known-good after repeated crashes', { kind: r.kind, from: r.from.version, to: r.to?.version ?? 'none' });
    }
    s.running = true;
    s.inside = '';
    o.store.save(s);
    const u = new ContentUpdater(o, s, policy);
    for (const rt of o.runtimes) await u.loadAtStart(rt);
    u.retainCache();
    return u;
  }

  /** Applies a signed directive. Calls are queued: one directive at a time. Never rejects on bad input. */
  apply(d: Signed<Directive>): Promise<ApplyOutcome> {
    const next = this.busy.then(() => this.applyNow(d));
    this.busy = next.catch(() => undefined);
    return next;
  }

  report(): UpdaterReport {
    const s = this.s;
    const loaded: UpdaterReport['loaded'] = [];
    const lastKnownGood: UpdaterReport['lastKnownGood'] = [];
    for (const rt of this.o.runtimes) {
      const v = rt.running();
      if (v !== '') loaded.push({ kind: rt.kind, version: v });
      const g = s.lkg[rt.kind];
      if (g) lastKnownGood.push({ kind: rt.kind, version: g.version });
    }
    // Counter arrays are replaced on change, never edited: handing them out is safe and O(1).
    return {
      // A serial with a target still to fetch reads as behind, so the engine sends it again.
      serial: s.incomplete ? s.serial - 1 : s.serial, loaded, lastKnownGood, crashes: s.crashes, contentCrashes: s.contentCrashes, reverts: s.reverts,
      contentErrors: s.contentErrors, restarts: s.restarts, failures: s.failures,
    };
  }

  /** Clean shutdown: the next start is not a crash. */
  markStopped(): void {
    this.s.running = false;
    this.s.inside = '';
    this.o.store.save(this.s);
  }

  /**
   * Marks that the agent is (or is no longer) evaluating one kind of content, so that a crash
   * there counts as a content crash. One save per call: for simulations and coarse sections,
   * not per event.
   */
  markInside(kind: ContentKind | ''): void {
    if (this.s.inside === kind) return;
    this.s.inside = kind;
    this.o.store.save(this.s);
  }

  private async applyNow(d: Signed<Directive>): Promise<ApplyOutcome> {
    const s = this.s;
    const serial = (d as { signed?: { serial?: unknown } } | null)?.signed?.serial;
    if (typeof serial === 'number') {
      // Known serials are settled without cryptography: a replay costs nothing.
      if (serial === s.serial && !s.incomplete) return { status: 'unchanged', serial: s.serial, targets: [] };
      if (serial < s.serial) return this.refused(fail('VIGIE_BUNDLE_ROLLBACK', `directive serial ${serial} is below the last accepted serial ${s.serial}`, { field: 'signed.serial' }));
    }
    const lastSerial = s.incomplete ? s.serial - 1 : s.serial;
    const v = this.o.trust.verifyDirective(d, this.o.now(), { lastSerial });
    if (!v.ok) return this.refused(v);
    const dir = v.value;
    for (const r of dir.rollback) ban(s, r);
    const targets: TargetOutcome[] = [];
    const kinds = new Set<ContentKind>();
    for (const t of dir.targets) {
      if (kinds.has(t.kind)) {
        targets.push(outcome(t, 'refused', problem('VIGIE_DIRECTIVE_INVALID', `a second ${t.kind} target (${t.name}): a sensor runs one per kind`)));
        continue;
      }
      kinds.add(t.kind);
      targets.push(await this.applyTarget(t, dir));
    }
    // A rollback that names what runs, without a target for its kind: back to the last-known-good.
    for (const rt of this.o.runtimes) {
      const l = s.loaded[rt.kind];
      const lkg = s.lkg[rt.kind];
      if (kinds.has(rt.kind) || !l || !isBanned(s, l) || !lkg || same(lkg, l)) continue;
      targets.push(await this.applyTarget(lkg, dir));
    }
    s.serial = dir.serial;
    s.incomplete = targets.some((t) => t.status === 'unavailable');
    this.o.store.save(s);
    return { status: 'applied', serial: s.serial, targets };
  }

  private async applyTarget(t: DirectiveTarget, dir: Directive): Promise<TargetOutcome> {
    const s = this.s;
    const rt = this.byKind.get(t.kind);
    if (!rt) return outcome(t, 'skipped');
    const l = s.loaded[t.kind];
    if (l && same(l, t)) return outcome(t, 'current');
    if (isBanned(s, t)) return outcome(t, 'refused', problem('VIGIE_BUNDLE_ROLLBACK', `${t.name} ${t.version} was reverted or rolled back on this sensor and is never loaded again`));
    // Going to an older version is allowed only by a signed rollback leaving what runs now.
    const rollback = l !== undefined && dir.rollback.some((r) => same(r, l));
    const floor = s.floors[floorKey(t.kind, t.name)];
    if (!rollback && floor !== undefined && compareVersions(t.version, floor) <= 0) {
      return outcome(t, 'refused', problem('VIGIE_BUNDLE_ROLLBACK', `${t.name} ${t.version} is not newer than ${floor}, already accepted, and no signed rollback leaves the running version`));
    }
    let bundle: VerifiedBundle | undefined;
    const lkg = s.lkg[t.kind];
    if (rollback && lkg && same(lkg, t) && lkg.sha256 === t.sha256) {
      // The last-known-good was verified when it was accepted: its local copy loads even if its
      // manifest has expired since (expiry refuses new loads, never a way back).
      const cached = this.cachedBundle(lkg);
      if (cached.ok) bundle = cached.value;
    }
    if (!bundle) {
      const fetched = await this.fetch(t);
      if (!fetched.ok) return outcome(t, 'unavailable', fetched.error);
      const verified = this.verify(fetched.value, t, rollback ? undefined : floor);
      if (!verified.ok) {
        if (verified.error.code !== 'VIGIE_BUNDLE_ROLLBACK') this.contentError(t, verified.error, l?.version ?? '');
        return outcome(t, 'refused', verified.error);
      }
      const put = this.o.bundles.put(t.sha256, fetched.value);
      if (!put.ok) this.o.log.warn('content updater: cannot keep a local copy of the bundle', { code: put.error.code, message: put.error.message });
      bundle = verified.value;
    }
    return this.swap(rt, { kind: t.kind, name: t.name, version: t.version, sha256: t.sha256 }, bundle);
  }

  /** verifyBundle against the pinned root, then: the manifest must be the directive's target. */
  private verify(bytes: Uint8Array, t: DirectiveTarget, floor: string | undefined): Result<VerifiedBundle> {
    const verified = verifyBundle(bytes, this.o.trust, {
      nowMs: this.o.now(), sensorVersion: this.o.sensorVersion, featureSchemas: this.o.featureSchemas, ...(floor === undefined ? {} : { floor }),
    });
    if (!verified.ok) return verified;
    const m = verified.value.manifest;
    if (same(m, t) && m.sha256 === t.sha256) return verified;
    return fail('VIGIE_BUNDLE_INVALID', `bundle is ${m.kind} ${m.name} ${m.version} (${m.sha256.slice(0, 12)}...), not the directive's target`, { field: 'signed' });
  }

  /** Builds beside and swaps; the state says what is being loaded before the load starts. */
  private async swap(rt: ContentRuntime, ref: ContentRef, bundle: VerifiedBundle): Promise<TargetOutcome> {
    const s = this.s;
    const kind = ref.kind;
    const prev = s.loaded[kind];
    const prevLkg = s.lkg[kind];
    s.loaded[kind] = { ...ref, sinceMs: this.o.now(), earlyCrashes: 0 };
    if (prev && !same(prev, ref) && !isBanned(s, prev)) s.lkg[kind] = refOf(prev);
    s.inside = kind;
    this.o.store.save(s);
    const r = await rt.load(bundle);
    s.inside = '';
    if (!r.ok) {
      if (prev) s.loaded[kind] = prev;
      else delete s.loaded[kind];
      if (prevLkg) s.lkg[kind] = prevLkg;
      else delete s.lkg[kind];
      this.contentError(ref, r.error, prev?.version ?? '');
      this.o.store.save(s);
      return outcome(ref, 'failed', r.error);
    }
    const key = floorKey(kind, ref.name);
    const floor = s.floors[key];
    if (floor === undefined || compareVersions(ref.version, floor) > 0) s.floors[key] = ref.version;
    this.o.store.save(s);
    this.retainCache();
    this.o.log.info('content updater: content loaded', { kind, name: ref.name, version: ref.version, lastKnownGood: s.lkg[kind]?.version ?? '' });
    return outcome(ref, 'loaded');
  }

  /** The content loaded when the previous run ended, from the local cache; else its last-known-good. */
  private async loadAtStart(rt: ContentRuntime): Promise<void> {
    const s = this.s;
    const l = s.loaded[rt.kind];
    if (!l) return;
    const first = await this.loadCached(rt, l);
    if (first.ok) return;
    const lkg = s.lkg[rt.kind];
    const fallback = lkg && !same(lkg, l) ? lkg : undefined;
    this.contentError(l, first.error, fallback?.version ?? '');
    if (fallback) {
      s.loaded[rt.kind] = { ...refOf(fallback), sinceMs: l.sinceMs, earlyCrashes: 0 };
      const second = await this.loadCached(rt, fallback);
      if (second.ok) return;
      this.contentError(fallback, second.error, '');
    }
    delete s.loaded[rt.kind];
    this.o.store.save(s);
  }

  private async loadCached(rt: ContentRuntime, ref: ContentRef): Promise<Result<void>> {
    const b = this.cachedBundle(ref);
    if (!b.ok) return b;
    this.s.inside = ref.kind;
    this.o.store.save(this.s);
    const r = await rt.load(b.value);
    this.s.inside = '';
    this.o.store.save(this.s);
    return r;
  }

  private cachedBundle(ref: ContentRef): Result<VerifiedBundle> {
    const got = this.o.bundles.get(ref.sha256);
    if (!got.ok) return got;
    if (!got.value) return fail('VIGIE_UPDATER_IO', `${ref.name} ${ref.version} is not in the local bundle cache`, { field: ref.sha256 });
    const d = decodeBundle(got.value);
    if (!d.ok) return d;
    const m = d.value.manifest.signed;
    if (!same(m, ref) || m.sha256 !== ref.sha256) {
      return fail('VIGIE_BUNDLE_DIGEST', `cached bundle ${ref.sha256.slice(0, 12)}... is ${m.name} ${m.version}, not ${ref.name} ${ref.version}`, { field: ref.sha256 });
    }
    return { ok: true, value: { manifest: m, payload: d.value.payload } };
  }

  /** The local copy first (a way back needs no network), else the source. */
  private async fetch(t: DirectiveTarget): Promise<Result<Uint8Array>> {
    const cached = this.o.bundles.get(t.sha256);
    if (cached.ok && cached.value) return { ok: true, value: cached.value };
    if (!cached.ok) this.o.log.warn('content updater: damaged local bundle copy dropped', { code: cached.error.code, message: cached.error.message });
    return this.o.source.fetch(t);
  }

  private retainCache(): void {
    const keep = new Set<string>();
    for (const c of [...Object.values(this.s.loaded), ...Object.values(this.s.lkg)]) keep.add(c.sha256);
    this.o.bundles.retain(keep);
  }

  private contentError(ref: { kind: ContentKind; name: string; version: string }, error: VigieProblem, fallbackVersion: string): void {
    const s = this.s;
    s.contentErrors = bump(s.contentErrors, ref.kind, ref.version);
    s.failures = withFailure(s.failures, { kind: ref.kind, version: ref.version, code: error.code, message: error.message, atMs: this.o.now(), fallbackVersion });
    this.o.log.warn('content updater: content not loaded', { kind: ref.kind, name: ref.name, version: ref.version, code: error.code, message: error.message });
  }

  private refused(r: Result<unknown>): ApplyOutcome {
    const error = r.ok ? problem('VIGIE_DIRECTIVE_INVALID', 'refused') : r.error;
    this.o.log.warn('content updater: directive refused', { code: error.code, message: error.message });
    return { status: 'refused', serial: this.s.serial, error, targets: [] };
  }
}

function outcome(t: { kind: ContentKind; name: string; version: string }, status: TargetOutcome['status'], error?: VigieProblem): TargetOutcome {
  return error ? { kind: t.kind, name: t.name, version: t.version, status, error } : { kind: t.kind, name: t.name, version: t.version, status };
}

function problem(code: VigieProblem['code'], message: string, field?: string): VigieProblem {
  return field === undefined ? { code, message } : { code, message, location: { field } };
}
