/**
 * The engine's content delivery without sockets: directives go to sensors whose serial is behind,
 * encoded as the canonical JSON the signatures cover (the sensor's decoding verifies); bundles are
 * served from the directory by sha256, cached, bounded, and every refusal has a code.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeBundleData } from '../../../common/wire/rollout-frames.js';
import { FrameKind } from '../../../common/wire/frames.js';
import { BundleDirectory, RolloutLink, staticDirectives } from '../../../engine/rollout-link/index.js';
import { vigie } from '../../../proto/gen/vigie.js';
import { directiveFromWire } from '../../../sensors/agent/content-link.js';
import { directive, makeKit, packBundle, T0, type Kit } from '../../sensors/updater/kit.js';

let kit: Kit;
const dirs: string[] = [];
beforeAll(() => {
  kit = makeKit();
});
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'vigie-bundles-'));
  dirs.push(d);
  return d;
}

const hb = (directiveSerial: number) => vigie.v1.Heartbeat.create({ sensorId: 's1', directiveSerial });

describe('RolloutLink', () => {
  it('sends the directive only to a sensor whose serial is behind, and the sensor verifies what it decodes', () => {
    const d = directive(kit, 3, [packBundle(kit, '1.0.0', 'alpha').target]);
    const seen: string[] = [];
    const link = new RolloutLink(new BundleDirectory({ dir: tmp() }), staticDirectives(d), (id, tenant) => void seen.push(`${id}/${tenant}`));
    expect(link.heartbeatReply('s1', 't', hb(3))).toBeUndefined();
    expect(link.heartbeatReply('s1', 't', hb(4))).toBeUndefined();
    const frames = link.heartbeatReply('s1', 't', hb(2))!;
    expect(frames[0]![0]).toBe(FrameKind.Directive);
    expect(link.heartbeatReply('s1', 't', hb(-1))).toBe(frames); // encoded once, sent to many
    const back = directiveFromWire(frames[1]!);
    expect(back.ok).toBe(true);
    const verified = kit.trust.verifyDirective(back.ok ? back.value : d, T0);
    expect(verified.ok && verified.value.serial).toBe(3);
    expect(seen).toEqual(['s1/t', 's1/t', 's1/t', 's1/t']);
    expect(link.counters.directivesSent).toBe(2);
  });

  it('a directive changed on the way no longer verifies', () => {
    const d = directive(kit, 3, []);
    const frames = new RolloutLink(new BundleDirectory({ dir: tmp() }), staticDirectives(d)).heartbeatReply('s1', 't', hb(0))!;
    const msg = vigie.v1.SignedDirective.decode(frames[1]!);
    msg.signed = Buffer.from(Buffer.from(msg.signed).toString('utf8').replace('"serial":3', '"serial":9'));
    const back = directiveFromWire(vigie.v1.SignedDirective.encode(msg).finish());
    expect(back.ok && kit.trust.verifyDirective(back.value, T0)).toMatchObject({ ok: false, error: { code: 'VIGIE_BUNDLE_BAD_SIGNATURE' } });
    expect(directiveFromWire(Buffer.from([0x0a, 0x02, 0x7b, 0x7b]))).toMatchObject({ ok: false, error: { code: 'VIGIE_DIRECTIVE_INVALID' } });
  });
});

describe('BundleDirectory', () => {
  it('serves <sha256>.vbundle and bare <sha256> files, from memory the second time; refuses bad names and missing ones', async () => {
    const dir = tmp();
    const b = packBundle(kit, '1.0.0', 'alpha');
    const c = packBundle(kit, '2.0.0', 'bravo');
    writeFileSync(join(dir, `${b.target.sha256}.vbundle`), b.bytes);
    writeFileSync(join(dir, c.target.sha256), c.bytes);
    const bundles = new BundleDirectory({ dir });
    const link = new RolloutLink(bundles);
    for (const x of [b, c, b]) {
      const data = decodeBundleData((await link.bundleReply(x.target.sha256))[1]!);
      expect(data.ok && Buffer.from(data.value.bytes).equals(Buffer.from(x.bytes))).toBe(true);
    }
    expect(bundles.counters).toMatchObject({ served: 3, fromCache: 1 });
    const missing = decodeBundleData((await link.bundleReply('f'.repeat(64)))[1]!);
    expect(missing.ok && missing.value).toMatchObject({ sha256: 'f'.repeat(64), errorCode: 'VIGIE_BUNDLE_INVALID' });
    expect(await bundles.read('../../etc/passwd')).toMatchObject({ ok: false, error: { code: 'VIGIE_BUNDLE_INVALID' } });
  });

  it('answers "busy" beyond its reads in flight, and forgets the oldest bundles past its bounds', async () => {
    const dir = tmp();
    const bs = ['1.0.0', '2.0.0', '3.0.0'].map((v) => packBundle(kit, v, `w${v[0]}`));
    for (const b of bs) writeFileSync(join(dir, `${b.target.sha256}.vbundle`), b.bytes);
    const bundles = new BundleDirectory({ dir, maxReads: 1, cacheEntries: 2 });
    const [first, second] = await Promise.all([bundles.read(bs[0]!.target.sha256), bundles.read(bs[1]!.target.sha256)]);
    expect(first.ok).toBe(true);
    expect(second).toMatchObject({ ok: false, error: { code: 'VIGIE_UPDATER_IO' } });
    await bundles.read(bs[1]!.target.sha256);
    await bundles.read(bs[2]!.target.sha256);
    await bundles.read(bs[0]!.target.sha256); // dropped from memory: read from disk again
    expect(bundles.counters).toMatchObject({ busy: 1, fromCache: 0, served: 4 });
  });
});
