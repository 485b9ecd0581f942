/** The parent-details cache: identity by pid and start time, expiry, bound, and forgetting. */
import { describe, expect, it } from 'vitest';
import { ParentCache } from '../../../../sensors/collectors/process/parent-cache.js';

const details = (commandLine: string) => ({ image: '/bin/sh', commandLine });

describe('ParentCache', () => {
  it('answers for the same pid and start time only, within the time to live', () => {
    let now = 1000;
    const cache = new ParentCache(8, 1000, () => now);
    cache.set(50, 7, details('sh -c x'));
    expect(cache.get(50, 7)).toEqual(details('sh -c x'));
    expect(cache.get(50, 8)).toBeUndefined(); // a reused pid: another process
    cache.set(50, 7, details('sh -c x'));
    now += 999;
    expect(cache.get(50, 7)).toEqual(details('sh -c x'));
    now += 1;
    expect(cache.get(50, 7)).toBeUndefined(); // expired: the title may have changed
    expect(cache.size).toBe(0);
    expect([cache.hits, cache.misses]).toEqual([2, 2]);
  });

  it('is bounded, least recently used out', () => {
    const cache = new ParentCache(2, 60_000);
    cache.set(1, 1, details('a'));
    cache.set(2, 2, details('b'));
    cache.get(1, 1);
    cache.set(3, 3, details('c'));
    expect(cache.size).toBe(2);
    expect(cache.get(2, 2)).toBeUndefined();
    expect(cache.get(1, 1)).toEqual(details('a'));
  });

  it('forgets a pid (its exec or exit)', () => {
    const cache = new ParentCache();
    cache.set(9, 9, details('x'));
    cache.forget(9);
    expect(cache.get(9, 9)).toBeUndefined();
  });
});
