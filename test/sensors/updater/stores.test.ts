/**
 * The updater on real files: its state and bundle cache in a directory survive a process restart
 * (a new ContentUpdater on the same directory), damaged files are caught, and expiry never stops
 * a restarted sensor from loading what it had already verified.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DirBundleCache, FileUpdaterStore, freshState, MemoryUpdaterStore, UPDATER_STATE_FILE } from '../../../sensors/updater/index.js';
import { clock, closeHosts, directive, freshRuntime, MapSource, makeKit, MIN, packBundle, startUpdater, T0, type Kit } from './kit.js';

let kit: Kit;
const dirs: string[] = [];
beforeAll(() => {
  kit = makeKit();
});
afterEach(async () => {
  await closeHosts();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'vigie-updater-'));
  dirs.push(d);
  return d;
}

describe('FileUpdaterStore and DirBundleCache', () => {
  it('a new updater on the same directory resumes: content from the disk cache, serial, last-known-good', async () => {
    const dir = tmp();
    const b1 = packBundle(kit, '1.0.0', 'alpha');
    const b2 = packBundle(kit, '2.0.0', 'bravo');
    const c = clock();
    const u = await startUpdater(kit, { runtime: await freshRuntime(), source: new MapSource().add(b1, b2), store: new FileUpdaterStore(dir), bundles: new DirBundleCache(dir), now: c.now });
    await u.apply(directive(kit, 1, [b1.target]));
    await u.apply(directive(kit, 2, [b2.target]));
    u.markStopped();
    expect(JSON.parse(readFileSync(join(dir, UPDATER_STATE_FILE), 'utf8'))).toMatchObject({ serial: 2, running: false });
    expect(readdirSync(dir).filter((f) => f.endsWith('.vbundle')).sort()).toEqual([`${b1.target.sha256}.vbundle`, `${b2.target.sha256}.vbundle`].sort());

    c.set(T0 + 60 * MIN);
    const offline = new MapSource();
    offline.offline = true;
    const rt = await freshRuntime();
    const again = await startUpdater(kit, { runtime: rt, source: offline, store: new FileUpdaterStore(dir), bundles: new DirBundleCache(dir), now: c.now });
    expect(rt.running()).toBe('2.0.0');
    expect(offline.fetches).toBe(0);
    expect(again.report()).toMatchObject({ serial: 2, restarts: 1, crashes: [], lastKnownGood: [{ kind: 'signatures', version: '1.0.0' }] });
    expect((await again.apply(directive(kit, 1, [b1.target]))).error?.code).toBe('VIGIE_BUNDLE_ROLLBACK');
  });

  it('keeps only the bundles it may need (running and last-known-good)', async () => {
    const dir = tmp();
    const bs = ['1.0.0', '2.0.0', '3.0.0'].map((v) => packBundle(kit, v, `w${v[0]}`));
    const u = await startUpdater(kit, { runtime: await freshRuntime(), source: new MapSource().add(...bs), store: new FileUpdaterStore(dir), bundles: new DirBundleCache(dir), now: clock().now });
    for (const [i, b] of bs.entries()) await u.apply(directive(kit, i + 1, [b.target]));
    expect(readdirSync(dir).filter((f) => f.endsWith('.vbundle')).sort()).toEqual([`${bs[1]!.target.sha256}.vbundle`, `${bs[2]!.target.sha256}.vbundle`].sort());
  });

  it('loads cached content at start after its manifest and the directive expired (expiry never stops detection)', async () => {
    const dir = tmp();
    const b1 = packBundle(kit, '1.0.0', 'alpha', { expiresInDays: 1 });
    const c = clock();
    const u = await startUpdater(kit, { runtime: await freshRuntime(), source: new MapSource().add(b1), store: new FileUpdaterStore(dir), bundles: new DirBundleCache(dir), now: c.now });
    await u.apply(directive(kit, 1, [b1.target], { expiresMs: T0 + 2 * 86_400_000 }));
    u.markStopped();
    c.set(T0 + 10 * 86_400_000);
    const rt = await freshRuntime();
    await startUpdater(kit, { runtime: rt, source: new MapSource(), store: new FileUpdaterStore(dir), bundles: new DirBundleCache(dir), now: c.now });
    expect(rt.running()).toBe('1.0.0');
  });

  it('a damaged cached bundle is dropped, reported, and the sensor falls back to its last-known-good', async () => {
    const dir = tmp();
    const b1 = packBundle(kit, '1.0.0', 'alpha');
    const b2 = packBundle(kit, '2.0.0', 'bravo');
    const u = await startUpdater(kit, { runtime: await freshRuntime(), source: new MapSource().add(b1, b2), store: new FileUpdaterStore(dir), bundles: new DirBundleCache(dir), now: clock().now });
    await u.apply(directive(kit, 1, [b1.target]));
    await u.apply(directive(kit, 2, [b2.target]));
    u.markStopped();
    const file = join(dir, `${b2.target.sha256}.vbundle`);
    const bytes = readFileSync(file);
    bytes[bytes.length - 3]! ^= 0x20;
    writeFileSync(file, bytes);
    expect(new DirBundleCache(dir).get(b2.target.sha256)).toMatchObject({ ok: false, error: { code: 'VIGIE_BUNDLE_DIGEST', location: { file } } });

    writeFileSync(file, bytes);
    const rt = await freshRuntime();
    const again = await startUpdater(kit, { runtime: rt, source: new MapSource(), store: new FileUpdaterStore(dir), bundles: new DirBundleCache(dir), now: clock().now });
    expect(rt.running()).toBe('1.0.0');
    expect(again.report().failures.at(-1)).toMatchObject({ version: '2.0.0', code: 'VIGIE_BUNDLE_DIGEST', fallbackVersion: '1.0.0' });
    expect(again.report().contentErrors).toEqual([{ kind: 'signatures', version: '2.0.0', count: 1 }]);
    expect(readdirSync(dir)).not.toContain(`${b2.target.sha256}.vbundle`);
  });

  it('a state file that is not valid starts fresh with a typed problem; a missing one is no problem', () => {
    const dir = tmp();
    const store = new FileUpdaterStore(dir);
    expect(store.load()).toBeUndefined();
    expect(store.problem).toBeUndefined();
    writeFileSync(join(dir, UPDATER_STATE_FILE), '{"format":"vigie.updater-state/1","serial":"x"}');
    expect(store.load()).toBeUndefined();
    expect(store.problem).toMatchObject({ code: 'VIGIE_UPDATER_IO', location: { file: store.file, field: 'serial' } });
    writeFileSync(join(dir, UPDATER_STATE_FILE), '{not json');
    expect(store.load()).toBeUndefined();
    expect(store.problem?.code).toBe('VIGIE_UPDATER_IO');
    const s = freshState();
    s.serial = 7;
    store.save(s);
    expect(store.load()?.serial).toBe(7);
    expect(readdirSync(dir)).toEqual([UPDATER_STATE_FILE]); // no temp file left behind
  });

  it('the memory store keeps a copy, as a disk would: later changes to the object are not saved', () => {
    const store = new MemoryUpdaterStore();
    const s = freshState();
    store.save(s);
    s.serial = 9;
    expect(store.load()?.serial).toBe(-1);
  });
});
