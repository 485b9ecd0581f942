/**
 * The engine side: a real Heartbeat encoded as a sensor sends it and decoded as engine/ingest
 * decodes it becomes the controller's HostReport; through the engine's RolloutLink, the
 * controller's directive goes out as frames a sensor verifies, and the bundle is served from the
 * controller's bundle directory. The ControllerRunner waits out its warm-up before judging.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../rollout/trust/index.js';
import { decodeHeartbeat, heartbeatFrames } from '../../../common/wire/frames.js';
import { decodeBundleData, decodeSignedDirective } from '../../../common/wire/rollout-frames.js';
import { createLogger } from '../../../common/log.js';
import { BundleDirectory, RolloutLink } from '../../../engine/rollout-link/index.js';
import type { Directive } from '../../../rollout/controller/directive.js';
import { ControllerLink, ControllerRunner, heartbeatToReport } from '../../../rollout/service/index.js';
import { tempDir } from '../../helpers/fixtures.js';
import { packBundle, trustFiles, validationReport } from './fixtures.js';
import { clock, must, openService, RING0 } from './helpers.js';

const dir = tempDir('rollout-heartbeat');
afterAll(() => dir.remove());
const t = trustFiles(dir.path);

function sensorHeartbeat(sensorId: string, version: string, extra: Record<string, unknown> = {}) {
  const [, payload] = heartbeatFrames({
    sensorId, tenant: 'town-a', host: 'pc-12', sensorVersion: '0.1.0', contentVersion: version, sentMs: 1, uptimeS: 3600, cpuPercent: 4.5, rssBytes: 91_000_000,
    content: [{ kind: 'signatures', version }, { kind: 'model', version: '1.0.0' }, { kind: 'firmware', version: '9' }],
    restarts: 3, signatureHits: 40, detections: 57, directiveSerial: 0,
    crashesByVersion: [{ kind: 'signatures', version: '0.2.0', count: 2 }, { kind: 'model', version: '1.0.0', count: 1 }],
    contentCrashesByVersion: [{ kind: 'signatures', version: '0.2.0', count: 2 }],
    revertsByVersion: [{ kind: 'signatures', version: '0.2.0', count: 1 }],
    contentErrorsByVersion: [{ kind: 'signatures', version: '0.3.0', count: 4 }, { kind: 'bogus', version: 'x', count: 9 }],
    ...extra,
  });
  const decoded = decodeHeartbeat(payload);
  if (!decoded.ok) throw new Error(decoded.error.message);
  return decoded.value;
}

describe('heartbeat adapter and engine link', () => {
  it('maps a decoded Heartbeat and the enrolment labels into a HostReport', () => {
    const hb = sensorHeartbeat('sensor-7', '0.2.0');
    const r = heartbeatToReport('sensor-7', 'town-a', hb, { site: 'mairie', group: 'win11-dell' }, 1_700_000_000_000);
    expect(r).toEqual({
      host: 'sensor-7', tenant: 'town-a', site: 'mairie', group: 'win11-dell', atMs: 1_700_000_000_000, sensorVersion: '0.1.0',
      loaded: [{ kind: 'signatures', version: '0.2.0' }, { kind: 'model', version: '1.0.0' }],
      crashes: [{ kind: 'signatures', version: '0.2.0', count: 2 }, { kind: 'model', version: '1.0.0', count: 1 }],
      contentCrashes: [{ kind: 'signatures', version: '0.2.0', count: 2 }],
      restarts: 3,
      contentErrors: [{ kind: 'signatures', version: '0.3.0', count: 4 }],
      reverts: [{ kind: 'signatures', version: '0.2.0', count: 1 }],
      cpuPercent: 4.5, rssBytes: 91_000_000, detections: 57,
    });
    // No labels: 'default'; an old sensor with no updater: its pack version and signature hits.
    const old = heartbeatToReport('sensor-8', 'town-b', sensorHeartbeat('sensor-8', '0.1.0', { content: [], detections: 0, crashesByVersion: [] }), undefined, 5);
    expect(old).toMatchObject({ site: 'default', group: 'default', loaded: [{ kind: 'signatures', version: '0.1.0' }], detections: 40, crashes: [] });
  });

  it('feeds heartbeats through the engine link and answers with a signed directive and the bundle', async () => {
    const c = clock();
    const b1 = packBundle(dir.path, '0.1.0', t.release);
    const b2 = packBundle(dir.path, '0.2.0', t.release);
    const s = openService(dir.path, t, c);
    must(s.install(b1.file, { root: t.root, actor: 'alice' }));
    must(await s.create(b2.file, { root: t.root, actor: 'alice', admission: { kind: 'report', file: validationReport(dir.path, b2.sha256) } }));
    const link = new ControllerLink(s, { clock: c.read, labels: (id) => (id === RING0[0] ? { site: 'hq' } : undefined) });
    const engine = new RolloutLink(new BundleDirectory({ dir: join(dir.path, 'bundles') }), link, link.observe);

    // Not started: the host already runs the GA version, nothing to say.
    expect(engine.heartbeatReply(RING0[0]!, 'town-a', sensorHeartbeat(RING0[0]!, '0.1.0', { crashesByVersion: [], contentCrashesByVersion: [], revertsByVersion: [] }))).toBeUndefined();
    expect(s.controller.hosts.hosts.get(RING0[0]!)).toMatchObject({ site: 'hq', group: 'default', signatures: '0.1.0' });

    // Started from another process (the CLI): the link takes it in on a later heartbeat.
    const cli = openService(dir.path, t, c);
    must(cli.start('r1', 'alice'));
    cli.close();
    c.now += 2000;
    const frames = engine.heartbeatReply(RING0[0]!, 'town-a', sensorHeartbeat(RING0[0]!, '0.1.0'))!;
    expect(frames).toBeDefined();
    const sd = decodeSignedDirective(frames[1]!);
    if (!sd.ok) throw new Error(sd.error.message);
    const signed = { signed: JSON.parse(Buffer.from(sd.value.signed).toString('utf8')) as Directive, signatures: sd.value.signatures.map((x) => ({ keyid: x.keyid ?? '', sig: x.sig ?? '' })) };
    expect(canonicalJson(signed.signed)).toBe(Buffer.from(sd.value.signed).toString('utf8'));
    const verified = t.trust(c.now).verifyDirective(signed, c.now);
    expect(verified.ok ? verified.value.targets : verified.error.message).toEqual([{ kind: 'signatures', name: 'vigie-default', version: '0.2.0', sha256: b2.sha256 }]);
    // The serial is saved before the directive leaves.
    expect(s.store.lastSerial()).toBe(signed.signed.serial);
    // A sensor that holds this serial is not sent it again.
    expect(engine.heartbeatReply(RING0[0]!, 'town-a', sensorHeartbeat(RING0[0]!, '0.1.0', { directiveSerial: signed.signed.serial }))).toBeUndefined();
    // A host outside ring 0 keeps the GA version.
    expect(engine.heartbeatReply('far-away-host', 'town-a', sensorHeartbeat('far-away-host', '0.1.0'))).toBeUndefined();

    const data = decodeBundleData((await engine.bundleReply(b2.sha256))[1]!);
    expect(data.ok ? Buffer.from(data.value.bytes) : undefined).toEqual(readFileSync(b2.file));
    expect(link.counters).toMatchObject({ heartbeats: 4, errors: 0 });
    s.close();
  });

  it('runs the controller from its configuration: warm-up, then ticks that save what status shows', () => {
    const c = clock();
    const b1 = packBundle(dir.path, '0.1.0', t.release);
    const config = {
      db: join(dir.path, 'runner.db'), bundleDir: join(dir.path, 'bundles'), keysDir: t.keysDir, intervalMs: 15_000, staleIntervals: 3,
      warmupIntervals: 2, directiveTtlHours: 24, ring0Hosts: RING0, ringBakeMinutes: 30,
    };
    const runner = must(ControllerRunner.open(config, { log: createLogger({ level: 'silent' }), clock: c.read }));
    must(runner.service.install(b1.file, { root: t.root, actor: 'alice' }));
    const engine = new RolloutLink(new BundleDirectory({ dir: config.bundleDir }));
    runner.attach(engine);
    runner.start();
    engine.heartbeatReply(RING0[0]!, 'town-a', sensorHeartbeat(RING0[0]!, '0.1.0'));
    expect(runner.tickOnce()).toEqual([]);
    expect(runner.counters).toMatchObject({ ticks: 0, skipped: 1 });
    c.now += 30_000;
    runner.tickOnce();
    expect(runner.counters).toMatchObject({ ticks: 1 });
    expect(must(runner.service.status()).controller).toEqual({ lastTickMs: c.now, hostsHeard: 1 });
    runner.stop(engine);
    expect(engine.observer).toBeUndefined();

    const noKeys = ControllerRunner.open({ ...config, keysDir: join(dir.path, 'nowhere') }, { log: createLogger({ level: 'silent' }) });
    expect(noKeys.ok ? 'ok' : noKeys.error.code).toBe('VIGIE_TRUST_INVALID');
  });
});
