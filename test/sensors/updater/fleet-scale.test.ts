/**
 * The updater as the fleet simulation uses it: thousands in one process, memory stores, one shared
 * source, an in-memory runtime, a simulated clock. A repeated directive is settled without
 * cryptography, and the state stays small.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ok, type Result } from '../../../common/errors.js';
import { silentLogger } from '../../../common/log.js';
import { PACK_FIELD_SCHEMA, type VerifiedBundle } from '../../../rollout/bundle/index.js';
import { ContentUpdater, MemoryBundleCache, MemoryUpdaterStore, type ContentRuntime } from '../../../sensors/updater/index.js';
import { clock, directive, MapSource, makeKit, packBundle, SENSOR_VERSION, type Kit } from './kit.js';

class MemoryRuntime implements ContentRuntime {
  readonly kind = 'signatures' as const;
  version = '';
  async load(b: VerifiedBundle): Promise<Result<void>> {
    this.version = b.manifest.version;
    return ok(undefined);
  }
  running(): string {
    return this.version;
  }
}

let kit: Kit;
beforeAll(() => {
  kit = makeKit();
});

describe('many updaters in one process', () => {
  it('2,000 hosts take a directive; the repeat is a no-op without signature checks; state stays small', async () => {
    const b1 = packBundle(kit, '1.0.0', 'alpha');
    const source = new MapSource().add(b1);
    const c = clock();
    const hosts = await Promise.all(Array.from({ length: 2000 }, async () => {
      const store = new MemoryUpdaterStore();
      const rt = new MemoryRuntime();
      const u = await ContentUpdater.start({
        runtimes: [rt], trust: kit.trust, source, store, bundles: new MemoryBundleCache(), now: c.now,
        sensorVersion: SENSOR_VERSION, featureSchemas: [PACK_FIELD_SCHEMA], log: silentLogger,
      });
      return { u, rt, store };
    }));
    const d = directive(kit, 1, [b1.target]);
    for (const h of hosts) expect((await h.u.apply(d)).targets[0]?.status).toBe('loaded');
    expect(hosts.every((h) => h.rt.running() === '1.0.0')).toBe(true);
    expect(source.fetches).toBe(2000);

    const verify = vi.spyOn(kit.trust, 'verifyDirective');
    for (const h of hosts) expect((await h.u.apply(d)).status).toBe('unchanged');
    expect(verify).not.toHaveBeenCalled();
    verify.mockRestore();
    expect(source.fetches).toBe(2000);

    const state = hosts[0]!.store.load();
    expect(JSON.stringify(state).length).toBeLessThan(1024);
    expect(hosts[0]!.u.report()).toMatchObject({ serial: 1, loaded: [{ kind: 'signatures', version: '1.0.0' }], restarts: 0 });
  });
});
