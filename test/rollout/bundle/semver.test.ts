import { describe, expect, it } from 'vitest';
import { compareVersions, isRange, isVersion, parseRange, satisfies } from '../../../rollout/bundle/index.js';

describe('semver', () => {
  it('orders versions as semver 2.0.0 does, prereleases included', () => {
    // The precedence example from semver.org section 11, scrambled then sorted.
    const ordered = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.0.1', '1.1.0', '1.10.0', '2.0.0'];
    const shuffled = [ordered[5]!, ...ordered.slice(6).reverse(), ...ordered.slice(0, 5).reverse()];
    shuffled.sort(compareVersions);
    expect(shuffled).toEqual(ordered);
    for (let i = 1; i < ordered.length; i++) expect(compareVersions(ordered[i - 1]!, ordered[i]!)).toBeLessThan(0);
  });

  it('ignores build metadata and compares numbers numerically', () => {
    expect(compareVersions('1.0.0+build.1', '1.0.0+build.2')).toBe(0);
    expect(compareVersions('0.9.10', '0.9.9')).toBeGreaterThan(0);
    expect(compareVersions('1.0.0-2', '1.0.0-10')).toBeLessThan(0);
    expect(compareVersions('1.0.0-a', '1.0.0-10')).toBeGreaterThan(0);
  });

  it('rejects what is not a version', () => {
    for (const v of ['1', '1.0', 'v1.0.0', '01.0.0', '1.0.0-', '1.0.0-01', '1.0.0+', ' 1.0.0', '1.0.0.0', '1.0.0-a..b', '']) expect(isVersion(v), v).toBe(false);
    for (const v of ['0.0.0', '1.0.0-0', '1.0.0-x-y.7', '10.20.30+sha.abc-1']) expect(isVersion(v), v).toBe(true);
    expect(() => compareVersions('1.0', '1.0.0')).toThrow(TypeError);
  });

  it('evaluates ranges: comparators ANDed by spaces, alternatives by ||', () => {
    expect(satisfies('0.1.0', '>=0.1.0 <1.0.0')).toBe(true);
    expect(satisfies('0.9.99', '>=0.1.0 <1.0.0')).toBe(true);
    expect(satisfies('1.0.0', '>=0.1.0 <1.0.0')).toBe(false);
    expect(satisfies('0.0.9', '>=0.1.0 <1.0.0')).toBe(false);
    expect(satisfies('1.2.3', '1.2.3')).toBe(true);
    expect(satisfies('1.2.3', '=1.2.3')).toBe(true);
    expect(satisfies('1.2.4', '=1.2.3')).toBe(false);
    expect(satisfies('2.5.0', '<1.0.0 || >=2.0.0 <3.0.0')).toBe(true);
    expect(satisfies('1.5.0', '<1.0.0 || >=2.0.0 <3.0.0')).toBe(false);
    expect(satisfies('1.0.0', '>1.0.0')).toBe(false);
    expect(satisfies('1.0.0', '<=1.0.0')).toBe(true);
    expect(satisfies('5.0.0', '*')).toBe(true);
    expect(satisfies('5.0.0', '')).toBe(true);
  });

  it('places prereleases by precedence (no npm exclusion rule)', () => {
    expect(satisfies('1.0.0-rc.1', '<1.0.0')).toBe(true);
    expect(satisfies('1.0.0-rc.1', '>=1.0.0')).toBe(false);
    expect(satisfies('0.2.0-rc.1', '>=0.1.0 <1.0.0')).toBe(true);
  });

  it('reports malformed ranges and never satisfies them', () => {
    for (const r of ['>=1.0', '~1.2.3', '^1.0.0', '>= 1.0.0', '1.0.0 ||', '|| 1.0.0', '1.x']) {
      expect(isRange(r), r).toBe(false);
      expect(satisfies('1.0.0', r), r).toBe(false);
    }
    expect(parseRange('>=1.0')).toEqual({ error: expect.stringContaining('">=1.0"') });
    expect(satisfies('nope', '*')).toBe(false);
  });
});
