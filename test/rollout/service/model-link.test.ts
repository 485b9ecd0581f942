/**
 * Models follow the rings at the engine: the controller says which hosts a live model rollout
 * reached (modelRoutes), the model link loads the verified bundle as a canary in a real score
 * stage, routes those hosts to it, drops it on rollback and promotes it on completion.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../common/log.js';
import { FEATURE_SCHEMA_VERSION } from '../../../models/features/index.js';
import { MemoryAuditSink } from '../../../rollout/audit/index.js';
import { createBundle, decodeBundle } from '../../../rollout/bundle/index.js';
import { RolloutController } from '../../../rollout/controller/controller.js';
import type { HostReport } from '../../../rollout/controller/host-report.js';
import { defaultGates } from '../../../rollout/gates/index.js';
import { ModelLink } from '../../../rollout/service/model-link.js';
import { createRoot, generateKeyPair, signDocument, TrustStore } from '../../../rollout/trust/index.js';
import { modelBytes, stages } from '../../engine/score/fixture.js';

const T0 = Date.parse('2026-03-02T08:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'vigie-model-link-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of open) await s.close();
  open = [];
});

const keys = { root: [generateKeyPair()], release: [generateKeyPair()], directive: [generateKeyPair()] };
const trust = (() => {
  const r = TrustStore.fromRoot(signDocument(createRoot(keys, { expires: '2030-01-01T00:00:00Z' }), keys.root), T0);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
})();

/** A signed model bundle written to disk: its payload sha256 and its path. */
function modelBundle(version: string, threshold: number): { sha: string; file: string } {
  const bytes = createBundle({ kind: 'model', name: 'test-process', version, payload: modelBytes({ kind: 'process', version, threshold }), featureSchema: FEATURE_SCHEMA_VERSION, sensorRange: '>=0.0.0', engineRange: '>=0.0.0', expiresInDays: 30, created: new Date(T0 - 3_600_000) }, keys.release);
  const d = decodeBundle(bytes);
  if (!d.ok) throw new Error(d.error.message);
  const file = join(dir, `${version}.vbundle`);
  writeFileSync(file, bytes);
  return { sha: d.value.manifest.signed.sha256, file };
}

const HOSTS = Array.from({ length: 10 }, (_, i) => `h${i}`);

function report(host: string, atMs: number): HostReport {
  return {
    host, tenant: 'town', site: 'site', group: 'g', atMs, sensorVersion: '0.1.0', loaded: [{ kind: 'signatures', version: '1.0.0' }],
    crashes: [], contentCrashes: [], restarts: 0, contentErrors: [], reverts: [], cpuPercent: 2, rssBytes: 100 * 1048576, detections: 0,
  };
}

describe('model rollouts at the engine', () => {
  it('load the canary for the reached hosts, drop it on rollback, promote it on completion', async () => {
    const c = new RolloutController({
      plan: { rings: [{ name: 'ring0', hosts: ['h0', 'h1'], bakeMs: 60_000, minReportingHosts: 2 }, { name: 'all', share: 1, bakeMs: 0, minReportingHosts: 1 }] },
      gates: defaultGates(), intervalMs: 15_000, staleIntervals: 3, directiveTtlMs: 86_400_000, sign: (d) => signDocument(d, keys.directive), audit: new MemoryAuditSink(),
    });
    const s = stages({});
    open.push(s.score);
    await s.score.start();
    expect((await s.score.modelCommand({ op: 'swap', source: modelBytes({ kind: 'process', version: '1.0.0' }) })).ok).toBe(true);
    const b11 = modelBundle('1.1.0', 10);
    const b12 = modelBundle('1.2.0', 1);
    const shas = { v10: 'a'.repeat(64), v11: b11.sha, v12: b12.sha };
    const files = new Map([[b11.sha, b11.file], [b12.sha, b12.file]]);
    const link = new ModelLink({ target: s.score, trust, featureSchemas: [FEATURE_SCHEMA_VERSION], log: silentLogger, clock: () => T0, bundlePath: (sha) => files.get(sha) });

    c.install('model', 'test-process', '1.0.0', shas.v10, T0 - 86_400_000, 'test');
    for (const h of HOSTS) c.ingest(report(h, T0));
    const r1 = c.create({ kind: 'model', name: 'test-process', version: '1.1.0', sha256: shas.v11 }, T0, 'alice');
    c.start(r1.id, T0, 'alice');
    const routes = c.modelRoutes();
    expect(routes).toEqual([{ name: 'test-process', stable: { version: '1.0.0', sha256: shas.v10 }, canary: { version: '1.1.0', sha256: shas.v11, rollout: r1.id, hosts: ['h0', 'h1'] } }]);
    await link.sync(routes);
    expect(s.score.info()).toMatchObject({ process_model: 'test-process@1.0.0', process_canary: 'test-process@1.1.0' });
    expect(s.score.counters()).toMatchObject({ process_canary_hosts: 2 });
    // The gates see the hosts on the version that scores them.
    for (const h of HOSTS) c.ingest(report(h, T0 + 15_000));
    expect(c.hosts.hosts.get('h0')!.model).toBe('1.1.0');
    expect(c.hosts.hosts.get('h5')!.model).toBe('1.0.0');

    c.halt(r1.id, T0 + 30_000, 'alice', 'by hand');
    await link.sync(c.modelRoutes());
    expect(s.score.info()).toMatchObject({ process_model: 'test-process@1.0.0', process_canary: 'none' });
    expect(link.counters).toMatchObject({ canaries: 1, drops: 1, promotions: 0 });

    const r2 = c.create({ kind: 'model', name: 'test-process', version: '1.2.0', sha256: shas.v12 }, T0 + 60_000, 'alice');
    c.start(r2.id, T0 + 60_000, 'alice');
    await link.sync(c.modelRoutes());
    c.promote(r2.id, T0 + 90_000, 'alice');
    await link.sync(c.modelRoutes());
    expect(c.modelRoutes()[0]!.canary!.hosts).toEqual(HOSTS);
    c.promote(r2.id, T0 + 120_000, 'alice');
    expect(c.get(r2.id).state).toBe('complete');
    await link.sync(c.modelRoutes());
    expect(s.score.info()).toMatchObject({ process_model: 'test-process@1.2.0', process_canary: 'none' });
    expect(link.counters).toMatchObject({ canaries: 2, promotions: 1 });
  });

  it('refuses a model bundle signed by an unknown key: its hosts stay on the stable model', async () => {
    const s = stages({});
    open.push(s.score);
    await s.score.start();
    const bytes = createBundle({ kind: 'model', name: 'test-process', version: '9.0.0', payload: modelBytes({ kind: 'process', version: '9.0.0' }), featureSchema: FEATURE_SCHEMA_VERSION, sensorRange: '>=0.0.0', engineRange: '>=0.0.0', expiresInDays: 30, created: new Date(T0) }, [generateKeyPair()]);
    const file = join(dir, 'foreign.vbundle');
    writeFileSync(file, bytes);
    const link = new ModelLink({ target: s.score, trust, featureSchemas: [FEATURE_SCHEMA_VERSION], log: silentLogger, clock: () => T0, bundlePath: () => file });
    await link.sync([{ name: 'test-process', stable: undefined, canary: { version: '9.0.0', sha256: 'f'.repeat(64), rollout: 'r1', hosts: ['h0'] } }]);
    expect(link.counters.refused).toBe(1);
    expect(s.score.info()).toMatchObject({ process_canary: 'none' });
  });
});
