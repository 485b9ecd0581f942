import { describe, expect, it } from 'vitest';
import { BUNDLE_MAGIC, createBundle, decodeBundle, encodeBundle } from '../../../rollout/bundle/index.js';
import { keyring, NOW } from '../trust/keyring.js';

const k = keyring();
const payload = new TextEncoder().encode('{"format":"vigie.signature-pack/1"}');
const bytes = createBundle({
  kind: 'signatures', name: 'vigie-default', version: '1.0.0', payload, featureSchema: 'vigie.fields/1',
  sensorRange: '>=0.1.0 <1.0.0', engineRange: '*', expiresInDays: 30, created: new Date(NOW),
}, k.release);

describe('bundle file format', () => {
  it('round-trips the signed manifest and the payload', () => {
    const d = decodeBundle(bytes, 'a.vbundle');
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(Buffer.from(d.value.payload).equals(Buffer.from(payload))).toBe(true);
    expect(d.value.manifest.signed).toMatchObject({ name: 'vigie-default', version: '1.0.0', size: payload.length, created: new Date(NOW).toISOString() });
    expect(d.value.manifest.signatures).toHaveLength(2);
    expect(Buffer.from(encodeBundle(d.value.manifest, d.value.payload)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('refuses every truncation with VIGIE_BUNDLE_INVALID and an offset', () => {
    for (let n = 0; n < bytes.length; n++) {
      const d = decodeBundle(bytes.subarray(0, n), 'cut.vbundle');
      expect(d.ok, `cut at ${n}`).toBe(false);
      if (d.ok) continue;
      expect(d.error.code).toBe('VIGIE_BUNDLE_INVALID');
      expect(d.error.location?.file).toBe('cut.vbundle');
      expect(typeof d.error.location?.offset).toBe('number');
    }
  });

  it('refuses garbage, extra bytes, absurd lengths and a manifest that is not JSON', () => {
    const garbage = decodeBundle(new TextEncoder().encode('PK\u0003\u0004 this is a zip, not a bundle'));
    expect(garbage).toMatchObject({ ok: false, error: { code: 'VIGIE_BUNDLE_INVALID', location: { offset: 0 } } });
    expect(decodeBundle(new Uint8Array(0))).toMatchObject({ ok: false, error: { code: 'VIGIE_BUNDLE_INVALID' } });

    const extra = Buffer.concat([bytes, Buffer.from([0])]);
    expect(decodeBundle(extra)).toMatchObject({ ok: false, error: { message: expect.stringContaining('1 unexpected bytes'), location: { offset: bytes.length } } });

    const huge = Buffer.from(bytes);
    huge.writeUInt32BE(0xffffffff, BUNDLE_MAGIC.length);
    expect(decodeBundle(huge)).toMatchObject({ ok: false, error: { location: { offset: 8 } } });

    const body = Buffer.from('{"signed":');
    const frame = Buffer.alloc(8 + 4 + body.length + 8);
    BUNDLE_MAGIC.copy(frame, 0);
    frame.writeUInt32BE(body.length, 8);
    body.copy(frame, 12);
    frame.writeBigUInt64BE(0n, 12 + body.length);
    expect(decodeBundle(frame)).toMatchObject({ ok: false, error: { code: 'VIGIE_BUNDLE_INVALID', location: { offset: 12 }, message: expect.stringContaining('not UTF-8 JSON') } });
  });

  it('checks the envelope and the manifest shape on decode', () => {
    const d = decodeBundle(bytes);
    if (!d.ok) throw new Error('fixture');
    const noSigs = encodeBundle({ signed: d.value.manifest.signed, signatures: 'none' } as never, payload);
    expect(decodeBundle(noSigs)).toMatchObject({ ok: false, error: { location: { field: 'signatures' } } });
    const badKind = encodeBundle({ ...d.value.manifest, signed: { ...d.value.manifest.signed, kind: 'firmware' as 'model' } }, payload);
    expect(decodeBundle(badKind)).toMatchObject({ ok: false, error: { code: 'VIGIE_BUNDLE_INVALID', location: { field: 'signed.kind' } } });
  });

  it('refuses to create a bundle with an invalid manifest, naming every problem', () => {
    expect(() => createBundle({
      kind: 'signatures', name: 'Bad Name', version: '1.0', payload, featureSchema: 'fields', sensorRange: '~1.0.0', engineRange: '*', expiresInDays: 1,
    }, k.release)).toThrow(/name must.*version must.*sensorRange.*featureSchema/);
  });
});
