/**
 * A small semver: versions MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD] ordered as semver 2.0.0 says
 * (build metadata ignored; a prerelease sorts before its release; numeric identifiers compare as
 * numbers and below alphanumeric ones). Ranges: comparators >=, >, <=, <, = or a bare version,
 * separated by spaces (all must hold), alternatives separated by `||`. "*" or "" match all.
 * Unlike npm, a prerelease version is not excluded by a range that does not name one: a range
 * here says which sensors can read the content, and a 0.2.0-rc.1 sensor can.
 */
export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  prerelease: (string | number)[];
}

const NUM = '0|[1-9]\\d*';
const IDENT = '(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)';
const VERSION = new RegExp(
  `^(${NUM})\\.(${NUM})\\.(${NUM})(?:-(${IDENT}(?:\\.${IDENT})*))?(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?$`,
);

export function parseVersion(text: string): SemVer | undefined {
  const m = VERSION.exec(text);
  if (!m) return undefined;
  const nums = [m[1], m[2], m[3]].map(Number);
  if (!nums.every(Number.isSafeInteger)) return undefined;
  const prerelease = m[4] === undefined ? [] : m[4].split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  return { major: nums[0]!, minor: nums[1]!, patch: nums[2]!, prerelease };
}

export function isVersion(text: unknown): text is string {
  return typeof text === 'string' && parseVersion(text) !== undefined;
}

/** <0, 0 or >0. Throws on an invalid version: callers validate first (a bug otherwise). */
export function compareVersions(a: string, b: string): number {
  const va = parseVersion(a);
  const vb = parseVersion(b);
  if (!va || !vb) throw new TypeError(`compareVersions: not a semantic version: ${va ? b : a}`);
  return compareParsed(va, vb);
}

function compareParsed(a: SemVer, b: SemVer): number {
  if (a.major !== b.major) return a.major - b.major;
  if (a.minor !== b.minor) return a.minor - b.minor;
  if (a.patch !== b.patch) return a.patch - b.patch;
  const pa = a.prerelease;
  const pb = b.prerelease;
  if (pa.length === 0 || pb.length === 0) return pb.length - pa.length; // release > prerelease
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    if (typeof x === 'number') return -1; // numeric identifiers sort below alphanumeric ones
    if (typeof y === 'number') return 1;
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

type Op = '>=' | '>' | '<=' | '<' | '=';
interface Comparator {
  op: Op;
  version: SemVer;
}

/** The range as alternatives of comparator sets, or a message saying what is wrong. */
export function parseRange(range: string): { alternatives: Comparator[][] } | { error: string } {
  const alternatives: Comparator[][] = [];
  for (const alt of range.split('||')) {
    const set: Comparator[] = [];
    for (const token of alt.trim().split(/\s+/).filter((t) => t !== '')) {
      if (token === '*') continue;
      const m = /^(>=|<=|>|<|=)?(.*)$/.exec(token)!;
      const version = parseVersion(m[2]!);
      if (!version) return { error: `"${token}" is not a comparator (>=, >, <=, <, = or a version)` };
      set.push({ op: (m[1] as Op | undefined) ?? '=', version });
    }
    if (set.length === 0 && alt.trim() !== '*' && range.includes('||')) return { error: 'empty alternative around "||"' };
    alternatives.push(set);
  }
  return { alternatives };
}

export function isRange(text: unknown): text is string {
  return typeof text === 'string' && !('error' in parseRange(text));
}

/** Whether the version is in the range; false for an invalid version or range. */
export function satisfies(version: string, range: string): boolean {
  const v = parseVersion(version);
  const r = parseRange(range);
  if (!v || 'error' in r) return false;
  return r.alternatives.some((set) => set.every((c) => holds(compareParsed(v, c.version), c.op)));
}

function holds(cmp: number, op: Op): boolean {
  switch (op) {
    case '>=':
      return cmp >= 0;
    case '>':
      return cmp > 0;
    case '<=':
      return cmp <= 0;
    case '<':
      return cmp < 0;
    case '=':
      return cmp === 0;
  }
}
