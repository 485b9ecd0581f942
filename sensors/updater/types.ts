/**
 * The updater's seams: what runs content (ContentRuntime), where bundles come from (BundleSource),
 * where verified bundles are kept for last-known-good and restarts (BundleCache), and where the
 * updater's small state lives (UpdaterStore). Each has a real and an in-memory implementation, so
 * the same ContentUpdater runs in the agent and ten thousand times in the fleet simulation.
 */
import type { Result, VigieProblem, ErrorCode } from '../../common/errors.js';
import type { ContentKind } from '../../rollout/bundle/manifest.js';
import type { DirectiveTarget } from '../../rollout/controller/directive.js';
import type { VersionCount } from '../../rollout/controller/host-report.js';
import type { VerifiedBundle } from '../../rollout/bundle/index.js';
import type { UpdaterState } from './state.js';

/** Runs one kind of content. `load` builds the new content beside the running one and swaps. */
export interface ContentRuntime {
  readonly kind: ContentKind;
  /** On failure the runtime keeps what it ran before. */
  load(b: VerifiedBundle): Promise<Result<void>>;
  /** The version running now, or '' when none. */
  running(): string;
}

/** Fetches a bundle (encoded, as rollout/bundle writes it) named by its payload's sha256. */
export interface BundleSource {
  fetch(t: DirectiveTarget): Promise<Result<Uint8Array>>;
}

/**
 * Bundles already verified once, kept on the sensor by payload sha256: the last-known-good and
 * what runs now must load with no network (after a restart, or to revert on its own).
 */
export interface BundleCache {
  /** ok(undefined) when not cached; a failure when the cached copy is damaged (it is dropped). */
  get(sha256: string): Result<Uint8Array | undefined>;
  put(sha256: string, bytes: Uint8Array): Result<void>;
  /** Drops every bundle not named in `keep`. */
  retain(keep: ReadonlySet<string>): void;
}

export interface UpdaterStore {
  load(): UpdaterState | undefined;
  save(s: UpdaterState): void;
}

/** Like a heartbeat's ContentFailure: what went wrong with which version, and what runs now. */
export interface UpdaterFailure {
  kind: ContentKind;
  version: string;
  code: ErrorCode;
  message: string;
  atMs: number;
  fallbackVersion: string;
}

export type TargetStatus =
  /** Loaded and swapped in. */
  | 'loaded'
  /** Already running that version. */
  | 'current'
  /** No runtime for this kind on this sensor (e.g. models run at the engine). */
  | 'skipped'
  /** Refused for good: banned, older without a signed rollback, bad bundle. */
  | 'refused'
  /** Verified but the runtime could not load it; the running content stays. */
  | 'failed'
  /** The bundle could not be fetched now; the same directive is tried again when it comes back. */
  | 'unavailable';

export interface TargetOutcome {
  kind: ContentKind;
  name: string;
  version: string;
  status: TargetStatus;
  error?: VigieProblem;
}

export interface ApplyOutcome {
  /**
   * 'unchanged': that serial was already accepted (no work, no signature check);
   * 'refused': the directive itself was refused (error says why) and nothing changed;
   * 'applied': accepted, each target has its own outcome.
   */
  status: 'applied' | 'unchanged' | 'refused';
  /** The serial the sensor holds after this call (-1: none yet). */
  serial: number;
  error?: VigieProblem;
  targets: TargetOutcome[];
}

/**
 * What a heartbeat carries about content. Counters are cumulative since the state was created.
 * The arrays are never changed after they are handed out (the updater replaces them), so a caller
 * may keep a report and compare it with the next one.
 */
export interface UpdaterReport {
  /**
   * The last directive serial fully applied (-1: none). While a target of the accepted serial could
   * not be fetched, it reads one less, so the engine keeps sending that directive.
   */
  serial: number;
  loaded: { kind: ContentKind; version: string }[];
  lastKnownGood: { kind: ContentKind; version: string }[];
  crashes: readonly VersionCount[];
  contentCrashes: readonly VersionCount[];
  reverts: readonly VersionCount[];
  contentErrors: readonly VersionCount[];
  restarts: number;
  /** The most recent failures (bounded), newest last. */
  failures: readonly UpdaterFailure[];
}
