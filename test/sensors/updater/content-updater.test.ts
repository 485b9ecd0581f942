/**
 * The updater with real Ed25519 trust, real bundles and a real SignatureHost (worker threads):
 * directives apply and swap, replays and expired directives are refused while content keeps
 * running, tampered bundles are refused, and older versions need a signed rollback.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Event } from '../../../common/events.js';
import { encodeEvents } from '../../../common/wire/frames.js';
import { MemoryBundleCache, MemoryUpdaterStore, type SignatureRuntime } from '../../../sensors/updater/index.js';
import { irRule } from '../../helpers/packs.js';
import { clock, closeHosts, directive, freshRuntime, MapSource, makeKit, MIN, packBundle, startUpdater, T0, type Kit } from './kit.js';

function exec(commandLine: string): Event {
  return { timeMs: T0, host: 'h1', processStart: { process: { pid: 42, startTimeMs: T0 }, image: '/bin/sh', commandLine } };
}

/** Rule ids the running pack fires on this command line: proof of what really runs. */
async function fires(rt: SignatureRuntime, commandLine: string): Promise<(string | null | undefined)[]> {
  const out = await rt.host.match(encodeEvents([exec(commandLine)]));
  return out.matched ? out.hits.map((h) => h.ruleId) : [];
}

let kit: Kit;
beforeAll(() => {
  kit = makeKit();
});
afterEach(closeHosts);

async function setup() {
  const b1 = packBundle(kit, '1.0.0', 'alpha');
  const b2 = packBundle(kit, '2.0.0', 'bravo');
  const source = new MapSource().add(b1, b2);
  const rt = await freshRuntime();
  const c = clock();
  const u = await startUpdater(kit, { runtime: rt, source, store: new MemoryUpdaterStore(), bundles: new MemoryBundleCache(), now: c.now });
  return { b1, b2, source, rt, c, u };
}

describe('ContentUpdater.apply', () => {
  it('applies a directive, then swaps to the next one and keeps the previous as last-known-good', async () => {
    const { b1, b2, rt, u, source } = await setup();
    expect(u.report()).toMatchObject({ serial: -1, loaded: [], lastKnownGood: [] });
    const first = await u.apply(directive(kit, 1, [b1.target]));
    expect(first).toMatchObject({ status: 'applied', serial: 1, targets: [{ version: '1.0.0', status: 'loaded' }] });
    expect(await fires(rt, 'run alpha now')).toEqual(['r-alpha']);

    const second = await u.apply(directive(kit, 2, [b2.target]));
    expect(second.targets).toEqual([{ kind: 'signatures', name: 'test', version: '2.0.0', status: 'loaded' }]);
    expect(rt.running()).toBe('2.0.0');
    expect(await fires(rt, 'run alpha and bravo')).toEqual(['r-bravo']);
    expect(u.report()).toMatchObject({ serial: 2, loaded: [{ kind: 'signatures', version: '2.0.0' }], lastKnownGood: [{ kind: 'signatures', version: '1.0.0' }] });
    expect(source.fetches).toBe(2);
  });

  it('treats the same serial as a no-op (no fetch) and refuses an older serial (replay); content keeps running', async () => {
    const { b1, b2, rt, u, source } = await setup();
    const d1 = directive(kit, 1, [b1.target]);
    await u.apply(d1);
    await u.apply(directive(kit, 2, [b2.target]));
    const fetches = source.fetches;
    const same = await u.apply(directive(kit, 2, [b2.target]));
    expect(same).toEqual({ status: 'unchanged', serial: 2, targets: [] });
    const replay = await u.apply(d1);
    expect(replay.status).toBe('refused');
    expect(replay.error?.code).toBe('VIGIE_BUNDLE_ROLLBACK');
    expect(source.fetches).toBe(fetches);
    expect(rt.running()).toBe('2.0.0');
    expect(await fires(rt, 'bravo')).toEqual(['r-bravo']);
  });

  it('refuses an expired directive and a directive signed by the wrong key; what runs keeps running', async () => {
    const { b1, b2, rt, u, c } = await setup();
    await u.apply(directive(kit, 1, [b1.target]));
    c.set(T0 + 10 * MIN);
    const expired = await u.apply(directive(kit, 2, [b2.target], { expiresMs: T0 + 5 * MIN }));
    expect(expired).toMatchObject({ status: 'refused', serial: 1, error: { code: 'VIGIE_BUNDLE_EXPIRED' } });
    const forged = { ...directive(kit, 3, [b2.target]), signatures: directive(makeKit(), 3, [b2.target]).signatures };
    expect((await u.apply(forged)).error?.code).toBe('VIGIE_BUNDLE_BAD_SIGNATURE');
    expect(rt.running()).toBe('1.0.0');
    expect(await fires(rt, 'alpha')).toEqual(['r-alpha']);
    // a fresh directive for the same content still works afterwards
    expect((await u.apply(directive(kit, 4, [b2.target]))).targets[0]?.status).toBe('loaded');
  });

  it('refuses a tampered bundle and one signed by a key outside the release role, counting content errors', async () => {
    const { b1, rt, u, source } = await setup();
    await u.apply(directive(kit, 1, [b1.target]));
    const good = packBundle(kit, '2.0.0', 'bravo');
    const tampered = Uint8Array.from(good.bytes);
    tampered[tampered.length - 5]! ^= 0x01; // inside the pack JSON
    source.bundles.set(good.target.sha256, tampered);
    const out = await u.apply(directive(kit, 2, [good.target]));
    expect(out.targets[0]).toMatchObject({ status: 'refused', error: { code: 'VIGIE_BUNDLE_DIGEST' } });

    const rogue = packBundle(kit, '3.0.0', 'charlie', { keys: [kit.directive] });
    source.add(rogue);
    const out3 = await u.apply(directive(kit, 3, [rogue.target]));
    expect(out3.targets[0]).toMatchObject({ status: 'refused', error: { code: 'VIGIE_BUNDLE_BAD_SIGNATURE' } });

    expect(rt.running()).toBe('1.0.0');
    expect(u.report().contentErrors).toEqual([{ kind: 'signatures', version: '2.0.0', count: 1 }, { kind: 'signatures', version: '3.0.0', count: 1 }]);
    expect(u.report().failures.map((f) => [f.version, f.code, f.fallbackVersion])).toEqual([['2.0.0', 'VIGIE_BUNDLE_DIGEST', '1.0.0'], ['3.0.0', 'VIGIE_BUNDLE_BAD_SIGNATURE', '1.0.0']]);
  });

  it('refuses a bundle whose manifest does not match the target, and one the runtime cannot load', async () => {
    const { b1, b2, rt, u, source } = await setup();
    await u.apply(directive(kit, 1, [b1.target]));
    // the directive names 2.0.0, the source hands 2.0.0's sha a validly signed 3.0.0
    const other = packBundle(kit, '3.0.0', 'charlie');
    source.bundles.set(b2.target.sha256, other.bytes);
    expect((await u.apply(directive(kit, 2, [b2.target]))).targets[0]).toMatchObject({ status: 'refused', error: { code: 'VIGIE_BUNDLE_INVALID' } });
    // a signed bundle whose pack does not compile: verified, but the runtime refuses it
    const broken = packBundle(kit, '4.0.0', 'delta', {
      rules: [irRule('r-bad', { op: 'field', field: 'process.command_line', test: { t: 're', source: '(', flags: '' } })],
    });
    source.add(broken);
    const out = await u.apply(directive(kit, 3, [broken.target]));
    expect(out.targets[0]?.status).toBe('failed');
    expect(rt.running()).toBe('1.0.0');
    expect(await fires(rt, 'alpha')).toEqual(['r-alpha']);
    expect(u.report().lastKnownGood).toEqual([]); // nothing was swapped, so 1.0.0 has no predecessor
  });

  it('refuses an older version without a rollback and loads it with a signed rollback that leaves the running one', async () => {
    const { b1, b2, rt, u, source } = await setup();
    await u.apply(directive(kit, 1, [b2.target]));
    const older = await u.apply(directive(kit, 2, [b1.target]));
    expect(older.targets[0]).toMatchObject({ status: 'refused', error: { code: 'VIGIE_BUNDLE_ROLLBACK' } });
    expect(rt.running()).toBe('2.0.0');
    // a rollback naming a version that is not running does not open the floor either
    const wrong = await u.apply(directive(kit, 3, [b1.target], { rollback: [{ kind: 'signatures', name: 'test', version: '9.9.9' }] }));
    expect(wrong.targets[0]?.status).toBe('refused');

    const rb = await u.apply(directive(kit, 4, [b1.target], { rollback: [{ kind: 'signatures', name: 'test', version: '2.0.0' }] }));
    expect(rb.targets[0]).toMatchObject({ status: 'loaded', version: '1.0.0' });
    expect(rt.running()).toBe('1.0.0');
    expect(await fires(rt, 'alpha bravo')).toEqual(['r-alpha']);
    // the version left is never loaded again; a strictly newer one is fine
    expect((await u.apply(directive(kit, 5, [b2.target]))).targets[0]).toMatchObject({ status: 'refused', error: { code: 'VIGIE_BUNDLE_ROLLBACK' } });
    const b3 = packBundle(kit, '3.0.0', 'charlie');
    source.add(b3);
    expect((await u.apply(directive(kit, 6, [b3.target]))).targets[0]?.status).toBe('loaded');
    expect(u.report().lastKnownGood).toEqual([{ kind: 'signatures', version: '1.0.0' }]);
  });

  it('a signed rollback without a target goes back to the last-known-good; one naming the last-known-good removes it', async () => {
    const { b1, b2, rt, u, source } = await setup();
    await u.apply(directive(kit, 1, [b1.target]));
    await u.apply(directive(kit, 2, [b2.target]));
    source.offline = true; // the way back is local
    const back = await u.apply(directive(kit, 3, [], { rollback: [{ kind: 'signatures', name: 'test', version: '2.0.0' }] }));
    expect(back.targets).toEqual([{ kind: 'signatures', name: 'test', version: '1.0.0', status: 'loaded' }]);
    expect(rt.running()).toBe('1.0.0');
    source.offline = false;
    const b3 = packBundle(kit, '3.0.0', 'charlie');
    source.add(b3);
    await u.apply(directive(kit, 4, [b3.target]));
    expect(u.report().lastKnownGood).toEqual([{ kind: 'signatures', version: '1.0.0' }]);
    await u.apply(directive(kit, 5, [], { rollback: [{ kind: 'signatures', name: 'test', version: '1.0.0' }] }));
    expect(u.report().lastKnownGood).toEqual([]);
    expect(rt.running()).toBe('3.0.0');
  });

  it('retries the same serial when a bundle could not be fetched, and skips kinds it has no runtime for', async () => {
    const { b1, rt, u, source } = await setup();
    source.offline = true;
    const model = { kind: 'model' as const, name: 'm', version: '1.0.0', sha256: 'a'.repeat(64) };
    const d = directive(kit, 1, [b1.target, model]);
    const first = await u.apply(d);
    expect(first.targets.map((t) => t.status)).toEqual(['unavailable', 'skipped']);
    expect(rt.running()).toBe('');
    expect(u.report().serial).toBe(0); // reads as behind serial 1, so the engine sends it again
    source.offline = false;
    const again = await u.apply(d);
    expect(again.targets.map((t) => t.status)).toEqual(['loaded', 'skipped']);
    expect(u.report().serial).toBe(1);
    expect((await u.apply(d)).status).toBe('unchanged');
  });

  it('hands out reports that later changes do not alter', async () => {
    const { b1, b2, u, source } = await setup();
    await u.apply(directive(kit, 1, [b1.target]));
    const before = u.report();
    source.bundles.set(b2.target.sha256, new Uint8Array([1, 2, 3]));
    await u.apply(directive(kit, 2, [b2.target]));
    expect(before.contentErrors).toEqual([]);
    expect(u.report().contentErrors).toEqual([{ kind: 'signatures', version: '2.0.0', count: 1 }]);
  });
});
