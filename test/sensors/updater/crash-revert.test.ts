/**
 * Local safety: crashes are attributed to the content loaded (and to the content being loaded when
 * the process died mid-load); two crashes within 5 minutes of loading new content make the sensor
 * go back to its last-known-good on its own, with no network, ban the bad version and report it.
 * A "crash" here is what it is for real: the updater is abandoned without markStopped() and a
 * new one starts on the same store and bundle cache, with a new SignatureHost.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MemoryBundleCache, MemoryUpdaterStore } from '../../../sensors/updater/index.js';
import { clock, closeHosts, directive, DyingRuntime, freshRuntime, MapSource, makeKit, MIN, packBundle, startUpdater, T0, type Kit } from './kit.js';

let kit: Kit;
beforeAll(() => {
  kit = makeKit();
});
afterEach(closeHosts);

/** A sensor that ran 1.0.0 (serial 1) and just took 2.0.0 (serial 2) at T0 + 1 min. */
async function onTwo(o: { dieDuringLoad?: boolean } = {}) {
  const b1 = packBundle(kit, '1.0.0', 'alpha');
  const b2 = packBundle(kit, '2.0.0', 'bravo');
  const source = new MapSource().add(b1, b2);
  const store = new MemoryUpdaterStore();
  const bundles = new MemoryBundleCache();
  const c = clock();
  const inner = await freshRuntime();
  const runtime = o.dieDuringLoad ? new DyingRuntime(inner, '2.0.0') : inner;
  const u = await startUpdater(kit, { runtime, source, store, bundles, now: c.now });
  await u.apply(directive(kit, 1, [b1.target]));
  c.set(T0 + MIN);
  const applying = u.apply(directive(kit, 2, [b2.target]));
  if (!o.dieDuringLoad) await applying;
  else await new Promise((r) => setTimeout(r, 50)); // the load has begun and never ends: the process dies here
  /** The next process: same disk, new host. */
  const restart = async (atMs: number, src = source) => {
    c.set(atMs);
    const rt = await freshRuntime();
    return { rt, u: await startUpdater(kit, { runtime: rt, source: src, store, bundles, now: c.now }) };
  };
  return { b1, b2, source, store, bundles, c, u, restart };
}

describe('crash attribution', () => {
  it('a process that dies while loading 2.0.0 has the crash attributed to 2.0.0, as a content crash, and retries it once', async () => {
    const s = await onTwo({ dieDuringLoad: true });
    const { rt, u } = await s.restart(T0 + MIN + 10_000);
    const r = u.report();
    expect(r.crashes).toEqual([{ kind: 'signatures', version: '2.0.0', count: 1 }]);
    expect(r.contentCrashes).toEqual([{ kind: 'signatures', version: '2.0.0', count: 1 }]);
    expect(r.restarts).toBe(1);
    expect(r.reverts).toEqual([]);
    expect(rt.running()).toBe('2.0.0'); // one crash is not a revert
    expect(r.lastKnownGood).toEqual([{ kind: 'signatures', version: '1.0.0' }]);
    expect(r.failures.at(-1)).toMatchObject({ code: 'VIGIE_CONTENT_CRASH', version: '2.0.0' });
  });

  it('a crash after the load counts against the loaded version but not as a content crash; a clean stop counts nothing', async () => {
    const s = await onTwo();
    const first = await s.restart(T0 + 30 * MIN); // the process died while running 2.0.0 (no markStopped)
    expect(first.u.report()).toMatchObject({ crashes: [{ kind: 'signatures', version: '2.0.0', count: 1 }], contentCrashes: [], restarts: 1 });
    first.u.markStopped();
    const second = await s.restart(T0 + 40 * MIN);
    expect(second.u.report()).toMatchObject({ crashes: [{ kind: 'signatures', version: '2.0.0', count: 1 }], restarts: 2 });
  });

  it('a crash while the agent said it was evaluating content is a content crash', async () => {
    const s = await onTwo();
    s.u.markInside('signatures');
    const { u } = await s.restart(T0 + 30 * MIN);
    expect(u.report().contentCrashes).toEqual([{ kind: 'signatures', version: '2.0.0', count: 1 }]);
  });
});

describe('local revert', () => {
  it('two crashes within 5 minutes of loading 2.0.0: back to 1.0.0 with no network, 2.0.0 banned, a newer version accepted', async () => {
    const s = await onTwo({ dieDuringLoad: true });
    await s.restart(T0 + MIN + 10_000); // crash 1 (during the load)
    const offline = new MapSource(); // knows no bundle: any fetch fails
    offline.offline = true;
    const { rt, u } = await s.restart(T0 + 4 * MIN, offline); // crash 2, 3 min after the load
    expect(rt.running()).toBe('1.0.0');
    expect(offline.fetches).toBe(0);
    const r = u.report();
    expect(r.reverts).toEqual([{ kind: 'signatures', version: '2.0.0', count: 1 }]);
    expect(r.crashes).toEqual([{ kind: 'signatures', version: '2.0.0', count: 2 }]);
    expect(r.loaded).toEqual([{ kind: 'signatures', version: '1.0.0' }]);
    expect(r.failures.at(-1)).toMatchObject({ kind: 'signatures', version: '2.0.0', code: 'VIGIE_CONTENT_REVERTED', fallbackVersion: '1.0.0' });

    // The controller, not yet aware, repeats 2.0.0 in a newer directive: refused, it is banned.
    const again = await u.apply(directive(kit, 3, [s.b2.target]));
    expect(again.targets[0]).toMatchObject({ status: 'refused', error: { code: 'VIGIE_BUNDLE_ROLLBACK' } });
    expect(rt.running()).toBe('1.0.0');
    // A fix, 2.0.1, is fine (fetched from the source once the network is back).
    const fix = packBundle(kit, '2.0.1', 'bravo');
    offline.offline = false;
    offline.add(fix);
    expect((await u.apply(directive(kit, 4, [fix.target]))).targets[0]?.status).toBe('loaded');
    expect(rt.running()).toBe('2.0.1');
    // and 1.0.0, the version it left, is its last-known-good again
    expect(u.report().lastKnownGood).toEqual([{ kind: 'signatures', version: '1.0.0' }]);
  });

  it('the revert survives further crashes: the last-known-good is not reverted away from', async () => {
    const s = await onTwo();
    await s.restart(T0 + 2 * MIN);
    await s.restart(T0 + 3 * MIN); // reverted here
    await s.restart(T0 + 3 * MIN + 5000);
    const { rt, u } = await s.restart(T0 + 3 * MIN + 9000);
    expect(rt.running()).toBe('1.0.0');
    expect(u.report().crashes).toEqual([{ kind: 'signatures', version: '2.0.0', count: 2 }, { kind: 'signatures', version: '1.0.0', count: 2 }]);
    expect(u.report().reverts).toEqual([{ kind: 'signatures', version: '2.0.0', count: 1 }]);
  });

  it('two crashes 6 minutes apart after loading: no revert', async () => {
    const s = await onTwo({ dieDuringLoad: true });
    await s.restart(T0 + MIN); // crash 1, as the load began
    const { rt, u } = await s.restart(T0 + 7 * MIN); // crash 2, 6 minutes after the load
    expect(rt.running()).toBe('2.0.0');
    expect(u.report().reverts).toEqual([]);
    expect(u.report().crashes).toEqual([{ kind: 'signatures', version: '2.0.0', count: 2 }]);
  });

  it('without a last-known-good, the bad version is banned and the sensor runs without content rather than crash again', async () => {
    const b1 = packBundle(kit, '1.0.0', 'alpha');
    const store = new MemoryUpdaterStore();
    const bundles = new MemoryBundleCache();
    const c = clock();
    const first = await startUpdater(kit, { runtime: await freshRuntime(), source: new MapSource().add(b1), store, bundles, now: c.now });
    await first.apply(directive(kit, 1, [b1.target]));
    for (const at of [T0 + MIN, T0 + 2 * MIN]) {
      c.set(at);
      await startUpdater(kit, { runtime: await freshRuntime(), source: new MapSource(), store, bundles, now: c.now });
    }
    const rt = await freshRuntime();
    const last = await startUpdater(kit, { runtime: rt, source: new MapSource(), store, bundles, now: c.now });
    expect(rt.running()).toBe('');
    expect(last.report().reverts).toEqual([{ kind: 'signatures', version: '1.0.0', count: 1 }]);
    expect(last.report().failures.find((f) => f.code === 'VIGIE_CONTENT_REVERTED')?.fallbackVersion).toBe('');
  });
});
