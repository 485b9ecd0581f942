import { describe, expect, it } from 'vitest';
import { bundleProblems, createBundle, decodeBundle, encodeBundle, verifyBundle } from '../../../rollout/bundle/index.js';
import type { CreateBundleInput } from '../../../rollout/bundle/index.js';
import { generateKeyPair, signDocument } from '../../../rollout/trust/index.js';
import { DAY, keyring, NOW } from '../trust/keyring.js';

const payload = new TextEncoder().encode(JSON.stringify({ rules: ['a', 'b', 'c'] }));
const input = (over: Partial<CreateBundleInput> = {}): CreateBundleInput => ({
  kind: 'signatures', name: 'vigie-default', version: '1.3.0', payload, featureSchema: 'vigie.fields/1',
  sensorRange: '>=0.1.0 <1.0.0', engineRange: '>=0.1.0 <1.0.0', expiresInDays: 30, created: new Date(NOW - DAY), ...over,
});
const opts = { nowMs: NOW, sensorVersion: '0.1.0', engineVersion: '0.1.0', featureSchemas: ['vigie.fields/1'], file: 'b.vbundle' };
const codeOf = (r: ReturnType<typeof verifyBundle>) => (r.ok ? 'ok' : r.error.code);

describe('verifyBundle', () => {
  it('accepts a bundle signed by a release key, returning the manifest and payload', () => {
    const k = keyring();
    const r = verifyBundle(createBundle(input(), [k.release[1]!]), k.trust, opts);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.manifest).toMatchObject({ name: 'vigie-default', version: '1.3.0', size: payload.length });
    expect(new TextDecoder().decode(r.value.payload)).toBe(new TextDecoder().decode(payload));
  });

  it('refuses a flipped payload byte (VIGIE_BUNDLE_DIGEST at signed.sha256)', () => {
    const k = keyring();
    const bytes = Buffer.from(createBundle(input(), k.release));
    bytes[bytes.length - 3]! ^= 0x01;
    const r = verifyBundle(bytes, k.trust, opts);
    expect(r).toMatchObject({ ok: false, error: { code: 'VIGIE_BUNDLE_DIGEST', location: { file: 'b.vbundle', field: 'signed.sha256' } } });
  });

  it('refuses a payload of another size, even with the same prefix', () => {
    const k = keyring();
    const d = decodeBundle(createBundle(input(), k.release));
    if (!d.ok) throw new Error('fixture');
    const longer = encodeBundle(d.value.manifest, Buffer.concat([payload, Buffer.from(' ')]));
    expect(verifyBundle(longer, k.trust, opts)).toMatchObject({ ok: false, error: { code: 'VIGIE_BUNDLE_DIGEST', location: { field: 'signed.size' } } });
  });

  it('refuses a changed manifest field (the signature no longer covers it)', () => {
    const k = keyring();
    const d = decodeBundle(createBundle(input(), k.release));
    if (!d.ok) throw new Error('fixture');
    const widened = { ...d.value.manifest, signed: { ...d.value.manifest.signed, sensorRange: '>=0.0.0' } };
    expect(codeOf(verifyBundle(encodeBundle(widened, payload), k.trust, opts))).toBe('VIGIE_BUNDLE_BAD_SIGNATURE');
  });

  it('refuses keys not in root, and one signature where the release threshold is two', () => {
    const k = keyring({ thresholds: { release: 2 } });
    expect(codeOf(verifyBundle(createBundle(input(), [generateKeyPair()]), k.trust, opts))).toBe('VIGIE_BUNDLE_BAD_SIGNATURE');
    const one = verifyBundle(createBundle(input(), [k.release[0]!]), k.trust, opts);
    expect(one).toMatchObject({ ok: false, error: { code: 'VIGIE_BUNDLE_BAD_SIGNATURE', message: expect.stringContaining('1 valid signature of 2 needed') } });
    expect(verifyBundle(createBundle(input(), k.release), k.trust, opts).ok).toBe(true);
  });

  it('refuses an expired manifest, and any manifest once the root has expired', () => {
    const k = keyring({ expiresMs: NOW + 10 * DAY });
    const bytes = createBundle(input({ expiresInDays: 2 }), k.release);
    expect(verifyBundle(bytes, k.trust, opts).ok).toBe(true);
    expect(verifyBundle(bytes, k.trust, { ...opts, nowMs: NOW + 2 * DAY })).toMatchObject({ ok: false, error: { code: 'VIGIE_BUNDLE_EXPIRED', location: { field: 'signed.expires' } } });
    const long = createBundle(input({ expiresInDays: 100 }), k.release);
    expect(verifyBundle(long, k.trust, { ...opts, nowMs: NOW + 11 * DAY })).toMatchObject({ ok: false, error: { code: 'VIGIE_BUNDLE_EXPIRED', message: expect.stringContaining('trusted root v1') } });
  });

  it('refuses content this sensor or engine cannot run', () => {
    const k = keyring();
    const bytes = createBundle(input({ sensorRange: '>=0.2.0', engineRange: '<0.1.0 || >=0.3.0' }), k.release);
    expect(verifyBundle(bytes, k.trust, opts)).toMatchObject({ ok: false, error: { code: 'VIGIE_BUNDLE_INCOMPATIBLE', location: { field: 'signed.sensorRange' } } });
    expect(verifyBundle(bytes, k.trust, { ...opts, sensorVersion: '0.2.1' })).toMatchObject({ ok: false, error: { location: { field: 'signed.engineRange' } } });
    expect(verifyBundle(bytes, k.trust, { ...opts, sensorVersion: '0.2.1', engineVersion: '0.3.0' }).ok).toBe(true);
    const model = createBundle(input({ kind: 'model', featureSchema: 'vigie.features/2' }), k.release);
    expect(verifyBundle(model, k.trust, { nowMs: NOW, featureSchemas: ['vigie.features/1'] })).toMatchObject({ ok: false, error: { code: 'VIGIE_BUNDLE_INCOMPATIBLE', location: { field: 'signed.featureSchema' } } });
  });

  it('refuses a replayed older or equal version against the floor', () => {
    const k = keyring();
    const old = createBundle(input({ version: '1.2.0' }), k.release);
    expect(verifyBundle(old, k.trust, { ...opts, floor: '1.1.9' }).ok).toBe(true);
    for (const floor of ['1.2.0', '1.3.0', '1.2.0+other-build']) {
      expect(verifyBundle(old, k.trust, { ...opts, floor })).toMatchObject({ ok: false, error: { code: 'VIGIE_BUNDLE_ROLLBACK', location: { field: 'signed.version' } } });
    }
    // A release candidate of the same version is older than the release.
    expect(codeOf(verifyBundle(createBundle(input({ version: '1.2.0-rc.2' }), k.release), k.trust, { ...opts, floor: '1.2.0' }))).toBe('VIGIE_BUNDLE_ROLLBACK');
  });
});

describe('bundleProblems', () => {
  it('lists every problem, in the order verifyBundle meets them', () => {
    const k = keyring();
    const d = decodeBundle(createBundle(input({ version: '1.0.0', sensorRange: '>=9.0.0' }), k.release));
    if (!d.ok) throw new Error('fixture');
    const forged = { signed: { ...d.value.manifest.signed, name: 'Other Name', expires: new Date(NOW - 1).toISOString() }, signatures: signDocument({}, [generateKeyPair()]).signatures };
    const bytes = encodeBundle(forged, Buffer.concat([payload, Buffer.from('!')]));
    const problems = bundleProblems(bytes, k.trust, { ...opts, floor: '1.0.0' });
    expect(problems.map((p) => p.code)).toEqual([
      'VIGIE_BUNDLE_INVALID', 'VIGIE_BUNDLE_BAD_SIGNATURE', 'VIGIE_BUNDLE_EXPIRED',
      'VIGIE_BUNDLE_DIGEST', 'VIGIE_BUNDLE_DIGEST', 'VIGIE_BUNDLE_INCOMPATIBLE', 'VIGIE_BUNDLE_ROLLBACK',
    ]);
    expect(problems.map((p) => p.location?.field)).toEqual([
      'signed.name', 'signatures', 'signed.expires', 'signed.size', 'signed.sha256', 'signed.sensorRange', 'signed.version',
    ]);
    expect(verifyBundle(bytes, k.trust, opts)).toEqual({ ok: false, error: problems[0] });
  });

  it('is empty for a good bundle and holds one problem for an unreadable file', () => {
    const k = keyring();
    expect(bundleProblems(createBundle(input(), k.release), k.trust, opts)).toEqual([]);
    expect(bundleProblems(new Uint8Array([1, 2, 3]), k.trust, opts)).toMatchObject([{ code: 'VIGIE_BUNDLE_INVALID' }]);
  });
});
