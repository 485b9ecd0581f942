/**
 * What start() concludes from the state a previous run left behind, as pure functions on that
 * state (no I/O, no runtime): a set unclean marker is a crash, attributed to the content loaded
 * then; a version that crashed `crashesToRevert` times within the crash window after a directive
 * loaded it is banned, and the sensor goes back to its last-known-good with no network.
 */
import type { ContentKind } from '../../rollout/bundle/manifest.js';
import { ban, bump, refOf, withFailure, type ContentRef, type UpdaterState } from './state.js';

export interface CrashPolicy {
  crashWindowMs: number;
  crashesToRevert: number;
}

const KINDS: readonly ContentKind[] = ['signatures', 'model'];

/**
 * Counts the crash the unclean marker stands for. Every loaded version gets it (the process died
 * with all of them in memory); a crash inside one kind's content (loading it, or evaluating it when
 * the agent said so) is that content's, so only that kind's early-crash count moves then.
 */
export function recordCrash(s: UpdaterState, nowMs: number, p: CrashPolicy): void {
  const inside = s.inside;
  for (const kind of KINDS) {
    const l = s.loaded[kind];
    if (!l) continue;
    s.crashes = bump(s.crashes, kind, l.version);
    if (inside === kind) s.contentCrashes = bump(s.contentCrashes, kind, l.version);
    const mine = inside === '' || inside === kind;
    // The crash happened before this restart; the restart time is the best bound we have.
    if (mine && nowMs - l.sinceMs <= p.crashWindowMs) l.earlyCrashes++;
    s.failures = withFailure(s.failures, {
      kind, version: l.version, code: 'VIGIE_CONTENT_CRASH', atMs: nowMs, fallbackVersion: l.version,
      message: `agent crashed ${inside === kind ? 'inside' : 'with'} ${l.name} ${l.version} loaded`,
    });
  }
  s.inside = '';
}

export interface Revert {
  kind: ContentKind;
  from: ContentRef;
  /** The last-known-good to load instead; undefined: none, the kind runs without content. */
  to: ContentRef | undefined;
}

/** Bans and reverts every version that crashed too often too soon; returns what to load instead. */
export function decideReverts(s: UpdaterState, nowMs: number, p: CrashPolicy): Revert[] {
  const out: Revert[] = [];
  for (const kind of KINDS) {
    const l = s.loaded[kind];
    if (!l || l.earlyCrashes < p.crashesToRevert) continue;
    const lkg = s.lkg[kind];
    if (lkg && lkg.version === l.version && lkg.name === l.name) continue; // already on its last-known-good
    const from = refOf(l);
    ban(s, from);
    s.reverts = bump(s.reverts, kind, l.version);
    s.failures = withFailure(s.failures, {
      kind, version: l.version, code: 'VIGIE_CONTENT_REVERTED', atMs: nowMs, fallbackVersion: lkg?.version ?? '',
      message: `${l.name} ${l.version} crashed the agent ${l.earlyCrashes} times within ${Math.round(p.crashWindowMs / 1000)} s of loading: reverted to ${lkg ? lkg.version : 'no content'} and banned`,
    });
    if (lkg) s.loaded[kind] = { ...refOf(lkg), sinceMs: nowMs, earlyCrashes: 0 };
    else delete s.loaded[kind];
    out.push({ kind, from, to: lkg });
  }
  return out;
}
