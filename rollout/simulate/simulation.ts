/**
 * `vigie rollout simulate`: the real controller (rollout/controller) and the real sensor update
 * logic (sensors/updater, one ContentUpdater per host) for a simulated fleet on a simulated clock.
 * Each heartbeat interval every online host lives (crashes, faults), sends its heartbeat and gets
 * its directive; then the controller evaluates its gates. Nothing waits on wall time.
 *
 * The bundle first goes through the pre-release checks a validator runs with the sensor's own
 * code (signature, digest, expiry, compatibility, pack schema, compile). The replay and fuzz
 * steps of `vigie rollout validate` are not run here: the crash faults simulated are the kind
 * that only some hardware triggers, which a validator's replay does not see.
 */
import { createLogger } from '../../common/log.js';
import { fail, ok, unwrap, type Result } from '../../common/errors.js';
import { Rng } from '../../sensors/simulate/behaviour/prng.js';
import { MemoryBundleCache } from '../../sensors/updater/bundle-cache.js';
import { MemoryUpdaterStore } from '../../sensors/updater/stores.js';
import { MemoryAuditSink, verifyAuditChain, type AuditEntry } from '../audit/index.js';
import { bundleProblems, decodeBundle } from '../bundle/index.js';
import { PACK_FIELD_SCHEMA } from '../bundle/content.js';
import { RolloutController } from '../controller/controller.js';
import { defaultGates } from '../gates/index.js';
import { defaultRingPlan, type RingPlan } from '../rings/ring-plan.js';
import { createRoot, generateKeyPair, signDocument, TrustStore } from '../trust/index.js';
import type { HostReport } from '../controller/host-report.js';
import { checkPackSchema } from '../validate/pack-schema.js';
import { faultModel, type FaultKind } from './faults.js';
import { BASE_VERSION, CANDIDATE_VERSION, SIM_PACK_NAME, simBundles } from './sim-content.js';
import { buildFleet } from './sim-fleet.js';
import { SimHost, type SimWorld } from './sim-host.js';

export interface SimulationOptions {
  hosts: number;
  fault: FaultKind;
  seed: number;
  intervalMs: number;
  /** Stop after this much simulated time even if the rollout neither completed nor halted. */
  horizonHours: number;
  /** 'auto': a seeded coin decides whether one site goes offline during the rollout. */
  outage: 'auto' | 'always' | 'never';
  /** Bake time of every ring but the last, minutes (the default plan's when undefined). */
  bakeMinutes?: number;
  onProgress?: (p: { interval: number; state: string; ring: number }) => void;
}

export const SIMULATION_DEFAULTS = { hosts: 10_000, intervalMs: 15_000, horizonHours: 48, outage: 'auto' } as const;

export interface SimulationResult {
  fault: FaultKind;
  seed: number;
  hosts: number;
  halted: boolean;
  completed: boolean;
  exposure_at_halt: number;
  halt_after_intervals: number | null;
  rollback_intervals: number | null;
  blocked_in_validation: boolean;
  validation_problems: string[];
  final_state: string;
  ring_reached: number;
  halt_reason: string;
  first_crash_report_interval: number | null;
  halt_interval: number | null;
  intervals: number;
  outage: { site: string; from_interval: number; to_interval: number } | null;
  holds: number;
  audit_entries: number;
  audit_chain_ok: boolean;
}

const HOUR = 3_600_000;
const START_MS = Date.parse('2026-01-05T07:00:00.000Z');
const SENSOR_VERSION = '0.1.0';

export async function runSimulation(o: SimulationOptions): Promise<SimulationResult> {
  const log = createLogger({ level: 'silent' });
  const rng = new Rng(o.seed, 0x0a11);
  const fleet = buildFleet(o.hosts, o.seed);
  const fault = faultModel(o.fault, fleet.groups.length, (n) => rng.int(n));
  // Keys and trust: one root key, one release key, one directive key.
  const keys = { root: [generateKeyPair()], release: [generateKeyPair()], directive: [generateKeyPair()] };
  const root = signDocument(createRoot(keys, { expires: new Date(START_MS + 365 * 24 * HOUR).toISOString() }), keys.root);
  const trust = unwrap(TrustStore.fromRoot(root, START_MS));
  const bundles = simBundles(o.fault, keys.release, new Date(START_MS - HOUR).toISOString());
  const base = decoded(bundles.base);
  const candidate = decoded(bundles.candidate);

  const result: SimulationResult = {
    fault: o.fault, seed: o.seed, hosts: o.hosts, halted: false, completed: false, exposure_at_halt: 0, halt_after_intervals: null, rollback_intervals: null,
    blocked_in_validation: false, validation_problems: [], final_state: 'validated', ring_reached: -1, halt_reason: '', first_crash_report_interval: null,
    halt_interval: null, intervals: 0, outage: null, holds: 0, audit_entries: 0, audit_chain_ok: true,
  };

  // Pre-release checks, with the sensor's own verification and pack code.
  const problems = [
    ...bundleProblems(bundles.candidate, trust, { nowMs: START_MS, sensorVersion: SENSOR_VERSION, featureSchemas: [PACK_FIELD_SCHEMA], floor: BASE_VERSION, file: 'candidate.vbundle' }),
    ...checkPackSchema(candidate.payload, 'candidate.vbundle').checks.filter((c) => c.verdict === 'block').flatMap((c) => c.problems ?? [{ code: c.code ?? 'VIGIE_VALIDATION_BLOCKED', message: c.detail }]),
  ];
  if (problems.length > 0) {
    result.blocked_in_validation = true;
    result.validation_problems = problems.map((p) => `${p.code}: ${p.message}`);
    return result;
  }

  const store = new Map<string, Uint8Array>([[base.sha256, bundles.base], [candidate.sha256, bundles.candidate]]);
  const clock = { nowMs: START_MS };
  const world: SimWorld = {
    clock,
    trust,
    source: { fetch: (t) => Promise.resolve(fetchFrom(store, t.sha256)) },
    newBundleCache: () => new MemoryBundleCache(),
    fault,
    badVersion: o.fault === 'none' ? '\0none' : CANDIDATE_VERSION,
    sensorVersion: SENSOR_VERSION,
    featureSchemas: [PACK_FIELD_SCHEMA],
    backgroundCrashMeanMs: 365 * 24 * HOUR,
    insideShare: 0.01,
    detectionsPerHour: 0.5,
    log,
    newStore: () => new MemoryUpdaterStore(),
  };
  const plan: RingPlan = withBake(defaultRingPlan(fleet.ring0), o.bakeMinutes);
  const audit = new MemoryAuditSink();
  const controller = new RolloutController({
    plan, gates: defaultGates(), intervalMs: o.intervalMs, staleIntervals: 3, directiveTtlMs: 24 * HOUR,
    sign: (d) => signDocument(d, keys.directive),
    audit,
  });
  controller.install('signatures', SIM_PACK_NAME, BASE_VERSION, base.sha256, START_MS - 24 * HOUR);

  // Every host boots on the base version: one directive, as at enrolment.
  const hosts = fleet.hosts.map((h) => new SimHost(h, fleet.groups[h.group]!, world, o.seed, START_MS));
  const install = signDocument({ format: 'vigie.directive/1' as const, serial: 0, issued: new Date(START_MS - HOUR).toISOString(), expires: new Date(START_MS + 48 * HOUR).toISOString(), targets: [{ kind: 'signatures' as const, name: SIM_PACK_NAME, version: BASE_VERSION, sha256: base.sha256 }], rollback: [] }, keys.directive);
  for (const h of hosts) {
    await h.boot();
    await h.apply(install, START_MS);
  }

  const outage = pickOutage(o, rng, fleet.sites);
  result.outage = outage ? { site: outage.site, from_interval: outage.from, to_interval: outage.to } : null;
  const startInterval = 4;
  const maxIntervals = Math.ceil((o.horizonHours * HOUR) / o.intervalMs);
  let rolloutId = '';
  let haltInterval = -1;
  let rollbackDone = -1;
  for (let i = 0; i < maxIntervals; i++) {
    const now = START_MS + i * o.intervalMs;
    clock.nowMs = now;
    if (i === startInterval) {
      rolloutId = controller.create({ kind: 'signatures', name: SIM_PACK_NAME, version: CANDIDATE_VERSION, sha256: candidate.sha256 }, now, 'release-manager').id;
      controller.start(rolloutId, now, 'release-manager');
    }
    for (const h of hosts) {
      if (h.due(now)) await h.live(now);
      const online = !(outage && h.spec.site === outage.site && i >= outage.from && i < outage.to);
      if (!online) continue;
      const report = h.heartbeat(now, o.intervalMs);
      if (result.first_crash_report_interval === null && o.fault !== 'none' && crashedOn(report, CANDIDATE_VERSION)) result.first_crash_report_interval = i;
      controller.ingest(report);
      const d = controller.directiveFor(h.spec.id, now);
      if (d && d.signed.serial > h.serial) await h.apply(d, now);
    }
    const events = controller.tick(now);
    for (const e of events) {
      if (e.action === 'halt' && haltInterval < 0) haltInterval = i;
      if (e.action === 'hold') result.holds++;
    }
    if (haltInterval >= 0 && rollbackDone < 0) {
      const stillBad = hosts.some((h) => h.runningBad && !(outage && h.spec.site === outage.site && i >= outage.from && i < outage.to));
      if (!stillBad) rollbackDone = i;
    }
    const r = rolloutId ? controller.get(rolloutId) : undefined;
    o.onProgress?.({ interval: i, state: r?.state ?? 'waiting', ring: r?.ring ?? -1 });
    result.intervals = i + 1;
    if (r && (r.state === 'complete' || (haltInterval >= 0 && rollbackDone >= 0))) break;
  }
  const r = controller.get(rolloutId);
  const exposed = hosts.filter((h) => !Number.isNaN(h.loadedBadAt)).length;
  result.halted = haltInterval >= 0;
  result.completed = r.state === 'complete';
  result.final_state = r.state;
  result.ring_reached = r.ring;
  result.halt_reason = r.haltReason ?? '';
  result.exposure_at_halt = result.halted ? exposed / o.hosts : 0;
  result.halt_interval = result.halted ? haltInterval : null;
  if (result.halted && result.first_crash_report_interval !== null) result.halt_after_intervals = haltInterval - result.first_crash_report_interval;
  if (result.halted && rollbackDone >= 0) result.rollback_intervals = rollbackDone - haltInterval;
  const entries = audit.entries();
  result.audit_entries = entries.length;
  result.audit_chain_ok = verifyChain(entries);
  return result;
}

function decoded(bytes: Uint8Array): { sha256: string; payload: Uint8Array } {
  const d = unwrap(decodeBundle(bytes));
  return { sha256: d.manifest.signed.sha256, payload: d.payload };
}

function fetchFrom(store: ReadonlyMap<string, Uint8Array>, sha256: string): Result<Uint8Array> {
  const b = store.get(sha256);
  return b ? ok(b) : fail('VIGIE_BUNDLE_INVALID', `no bundle ${sha256}`);
}

function withBake(plan: RingPlan, minutes: number | undefined): RingPlan {
  if (minutes === undefined) return plan;
  return { rings: plan.rings.map((r, i) => (i === plan.rings.length - 1 ? r : { ...r, bakeMs: minutes * 60_000 })) };
}

/** One site offline for 30 to 120 minutes, starting within the first three hours of the rollout. */
function pickOutage(o: SimulationOptions, rng: Rng, sites: readonly string[]): { site: string; from: number; to: number } | undefined {
  const coin = rng.chance(0.5);
  if (o.outage === 'never' || (o.outage === 'auto' && !coin)) return undefined;
  const perHour = HOUR / o.intervalMs;
  const from = Math.round(perHour * (0.1 + rng.float() * 2.9));
  const to = from + Math.round(perHour * (0.5 + rng.float() * 1.5));
  return { site: rng.pick(sites), from, to };
}

function crashedOn(r: HostReport, version: string): boolean {
  for (const c of r.crashes) if (c.version === version && c.count > 0) return true;
  for (const c of r.contentCrashes) if (c.version === version && c.count > 0) return true;
  return false;
}

function verifyChain(entries: readonly AuditEntry[]): boolean {
  return verifyAuditChain(entries).ok;
}
