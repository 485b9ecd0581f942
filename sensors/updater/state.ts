/**
 * The updater's persistent state: small (a few hundred bytes), plain JSON, saved before every
 * load so that a process that dies mid-load leaves behind what it was doing. Counter arrays are
 * replaced, never changed in place (copy on write), so reports handed out stay as they were.
 */
import { fail, ok, type Result } from '../../common/errors.js';
import type { ContentKind } from '../../rollout/bundle/manifest.js';
import type { VersionCount } from '../../rollout/controller/host-report.js';
import type { UpdaterFailure } from './types.js';

export const UPDATER_STATE_FORMAT = 'vigie.updater-state/1';

/** Versions kept per counter list; older ones drop off (the controller only diffs recent ones). */
const MAX_COUNTS = 32;
const MAX_FAILURES = 10;

export interface ContentRef {
  kind: ContentKind;
  name: string;
  version: string;
  /** sha256 of the bundle payload: the key of the local bundle cache. */
  sha256: string;
}

export interface LoadedEntry extends ContentRef {
  /** When a directive (not a restart) loaded this version: the crash window starts here. */
  sinceMs: number;
  /** Crashes of this version within the crash window after `sinceMs`. */
  earlyCrashes: number;
}

export interface UpdaterState {
  format: typeof UPDATER_STATE_FORMAT;
  /** Last accepted directive serial; -1 before the first. */
  serial: number;
  /** The accepted serial left targets that could not be fetched: the same serial is tried again. */
  incomplete: boolean;
  /** The unclean marker: set while the agent runs, cleared by a clean stop. */
  running: boolean;
  /** The kind of content the agent is inside now (loading it or, when told, evaluating it). */
  inside: ContentKind | '';
  loaded: Partial<Record<ContentKind, LoadedEntry>>;
  lkg: Partial<Record<ContentKind, ContentRef>>;
  /** `${kind}/${name}` -> highest version accepted: newer-only unless a signed rollback says so. */
  floors: Record<string, string>;
  /** Never loaded again: reverted on this sensor, or named in a signed rollback. */
  banned: { kind: ContentKind; name: string; version: string }[];
  crashes: VersionCount[];
  contentCrashes: VersionCount[];
  reverts: VersionCount[];
  contentErrors: VersionCount[];
  restarts: number;
  failures: UpdaterFailure[];
}

export function freshState(): UpdaterState {
  return {
    format: UPDATER_STATE_FORMAT, serial: -1, incomplete: false, running: false, inside: '', loaded: {}, lkg: {}, floors: {}, banned: [],
    crashes: [], contentCrashes: [], reverts: [], contentErrors: [], restarts: 0, failures: [],
  };
}

export const floorKey = (kind: ContentKind, name: string): string => `${kind}/${name}`;

export function isBanned(s: UpdaterState, r: { kind: ContentKind; name: string; version: string }): boolean {
  return s.banned.some((b) => b.kind === r.kind && b.name === r.name && b.version === r.version);
}

/** Never loaded again; a banned last-known-good stops being one (a revert must not go there). */
export function ban(s: UpdaterState, r: { kind: ContentKind; name: string; version: string }): void {
  if (!isBanned(s, r)) s.banned = [...s.banned, { kind: r.kind, name: r.name, version: r.version }].slice(-MAX_COUNTS);
  const lkg = s.lkg[r.kind];
  if (lkg && lkg.name === r.name && lkg.version === r.version) delete s.lkg[r.kind];
}

/** A new list with `kind`/`version` counted once more. */
export function bump(list: readonly VersionCount[], kind: ContentKind, version: string): VersionCount[] {
  const i = list.findIndex((c) => c.kind === kind && c.version === version);
  if (i < 0) return [...list, { kind, version, count: 1 }].slice(-MAX_COUNTS);
  const out = list.slice();
  out[i] = { kind, version, count: list[i]!.count + 1 };
  return out;
}

export function withFailure(list: readonly UpdaterFailure[], f: UpdaterFailure): UpdaterFailure[] {
  return [...list, f].slice(-MAX_FAILURES);
}

export function refOf(c: ContentRef): ContentRef {
  return { kind: c.kind, name: c.name, version: c.version, sha256: c.sha256 };
}

const KINDS: readonly ContentKind[] = ['signatures', 'model'];
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isRef = (v: unknown): boolean => isObj(v) && KINDS.includes(v.kind as ContentKind) && isStr(v.name) && isStr(v.version) && isStr(v.sha256);
const isCounts = (v: unknown): boolean => Array.isArray(v) && v.every((c) => isObj(c) && isStr(c.kind) && isStr(c.version) && isNum(c.count));

/** Checks a state read back from disk; the first problem names its field. */
export function parseState(value: unknown, file: string): Result<UpdaterState> {
  const bad = (field: string, message: string) => fail<UpdaterState>('VIGIE_UPDATER_IO', `updater state: ${message}`, { file, field });
  if (!isObj(value)) return bad('', 'not an object');
  if (value.format !== UPDATER_STATE_FORMAT) return bad('format', `format must be "${UPDATER_STATE_FORMAT}"`);
  if (!isNum(value.serial) || !isNum(value.restarts)) return bad('serial', 'serial and restarts must be numbers');
  if (typeof value.incomplete !== 'boolean' || typeof value.running !== 'boolean') return bad('running', 'running and incomplete must be booleans');
  if (value.inside !== '' && !KINDS.includes(value.inside as ContentKind)) return bad('inside', 'inside must be a content kind or ""');
  for (const field of ['loaded', 'lkg'] as const) {
    const m = value[field];
    if (!isObj(m)) return bad(field, 'must be an object');
    for (const [k, r] of Object.entries(m)) {
      if (!KINDS.includes(k as ContentKind) || !isRef(r) || (r as { kind: string }).kind !== k) return bad(`${field}.${k}`, 'not a content reference');
      if (field === 'loaded' && (!isNum((r as Record<string, unknown>).sinceMs) || !isNum((r as Record<string, unknown>).earlyCrashes))) {
        return bad(`${field}.${k}`, 'sinceMs and earlyCrashes must be numbers');
      }
    }
  }
  if (!isObj(value.floors) || !Object.values(value.floors).every(isStr)) return bad('floors', 'must map names to versions');
  if (!Array.isArray(value.banned) || !value.banned.every((b) => isObj(b) && isStr(b.kind) && isStr(b.name) && isStr(b.version))) return bad('banned', 'must be a list of versions');
  for (const field of ['crashes', 'contentCrashes', 'reverts', 'contentErrors'] as const) {
    if (!isCounts(value[field])) return bad(field, 'must be a list of { kind, version, count }');
  }
  if (!Array.isArray(value.failures)) return bad('failures', 'must be a list');
  return ok(value as unknown as UpdaterState);
}
