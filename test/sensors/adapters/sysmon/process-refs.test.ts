import { describe, expect, it } from 'vitest';
import { ProcessRefs, guidStartMs } from '../../../../sensors/adapters/sysmon/process-refs.js';

describe('ProcessGuid -> ProcessRef', () => {
  it('decodes the start time Sysmon embeds in a guid (low word, then high word)', () => {
    expect(guidStartMs('{6f1c0a2b-a720-65e1-1a00-000000000700}')).toBe(Date.parse('2024-03-01T10:00:00Z'));
    expect(guidStartMs('7E57AB1E-8045-6633-0A1B-2C3D4E5F0000')).toBe(Date.parse('2024-05-02T12:00:05Z'));
    expect(guidStartMs('{94325212-0000-0000-e903-000000000000}')).toBeUndefined(); // Linux LogonGuid
    expect(guidStartMs('not-a-guid')).toBeUndefined();
  });

  it('rule 1 and 2: a create defines the ref every later event of the guid reuses', () => {
    const refs = new ProcessRefs();
    const g = '{6f1c0a2b-a720-65e1-1a00-000000000700}';
    expect(refs.define(g, 10, 1_000_250)).toEqual({ pid: 10, startTimeMs: 1_000_250 });
    expect(refs.resolve(g.toUpperCase(), 99, 5_000_000)).toEqual({ pid: 10, startTimeMs: 1_000_250 });
    expect(refs.resolve(g.slice(1, -1), undefined, 5_000_000)).toEqual({ pid: 10, startTimeMs: 1_000_250 });
    expect(refs.stats()).toMatchObject({ hits: 2, misses: 0 });
  });

  it('rule 3: an unknown guid takes its embedded time, else the first event time, and keeps it', () => {
    const refs = new ProcessRefs();
    expect(refs.resolve('{6f1c0a2b-a720-65e1-1a00-000000000700}', 7, 9e12)).toEqual({ pid: 7, startTimeMs: 1_709_287_200_000 });
    expect(refs.resolve('{odd-guid}', undefined, 123)).toEqual({ pid: 0, startTimeMs: 123 });
    expect(refs.resolve('{odd-guid}', 5, 456)).toEqual({ pid: 0, startTimeMs: 123 });
  });

  it('rule 4: no guid gives start 0 (unknown), the same for every event of the pid', () => {
    const refs = new ProcessRefs();
    expect(refs.resolve(undefined, 42, 1)).toEqual({ pid: 42, startTimeMs: 0 });
    expect(refs.resolve(undefined, 42, 2)).toEqual({ pid: 42, startTimeMs: 0 });
  });

  it('first resolution wins over a late create', () => {
    const refs = new ProcessRefs();
    const g = '{6f1c0a2b-a720-65e1-1a00-000000000700}';
    const early = refs.resolve(g, 7, 0);
    expect(refs.define(g, 7, 1_709_287_200_250)).toEqual(early);
    expect(refs.stats().lateCreates).toBe(1);
  });

  it('is bounded: the least recently used guid goes first, and refs are never shared objects', () => {
    const refs = new ProcessRefs(2);
    refs.define('{a}', 1, 100);
    refs.define('{b}', 2, 200);
    refs.resolve('{a}', undefined, 0); // a is now the most recent
    refs.define('{c}', 3, 300); // evicts b
    expect(refs.stats()).toMatchObject({ size: 2, evicted: 1 });
    expect(refs.resolve('{b}', 2, 999)).toEqual({ pid: 2, startTimeMs: 999 }); // b is back, a is out
    expect(refs.resolve('{c}', undefined, 0)).toEqual({ pid: 3, startTimeMs: 300 });
    const one = refs.resolve('{c}', undefined, 0);
    one.pid = 77;
    expect(refs.resolve('{c}', undefined, 0).pid).toBe(3);
  });
});
