/**
 * Bundles as the validator reads them, with real Ed25519 keys: a good bundle's checks pass, a
 * tampered payload, a missing root and a manifest that misnames its content block, and a raw file
 * is reported as skipped, never as signed.
 */
import { describe, expect, it } from 'vitest';
import { fail } from '../../../common/errors.js';
import { FEATURE_SCHEMA_VERSION } from '../../../models/features/index.js';
import { createBundle, PACK_FIELD_SCHEMA, type CreateBundleInput } from '../../../rollout/bundle/index.js';
import { contentFromBytes, currentFromBytes, rawKind } from '../../../rollout/validate/index.js';
import { checkContentMatch } from '../../../rollout/validate/content-match.js';
import { defaultPack } from '../../../signatures/pack/index.js';
import { keyring, NOW } from '../trust/keyring.js';
import { defaultModelBytes, packBytes } from './fixtures.js';

const ring = keyring();
const packPayload = packBytes({ ...defaultPack(NOW), version: '0.2.0' });
const input = (over: Partial<CreateBundleInput> = {}): CreateBundleInput => ({
  kind: 'signatures', name: 'vigie-default', version: '0.2.0', payload: packPayload, featureSchema: PACK_FIELD_SCHEMA,
  sensorRange: '>=0.1.0 <1.0.0', engineRange: '>=0.1.0 <1.0.0', expiresInDays: 30, created: new Date(NOW), ...over,
});
const ctx = { trust: { ok: true as const, value: ring.trust }, nowMs: NOW, sensorVersion: '0.1.0' };

describe('contentFromBytes', () => {
  it('reads a good bundle: no bundle problem, the manifest and payload handed on', () => {
    const read = contentFromBytes('p.vbundle', createBundle(input(), ring.release), ctx);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.content).toMatchObject({ kind: 'signatures', file: 'p.vbundle', bundleProblems: [], manifest: { name: 'vigie-default', version: '0.2.0' } });
    expect(Buffer.from(read.content.payload).equals(Buffer.from(packPayload))).toBe(true);
  });

  it('keeps every bundle problem: a flipped payload byte, a sensor out of range', () => {
    const bytes = createBundle(input({ sensorRange: '>=2.0.0' }), ring.release);
    bytes[bytes.length - 5]! ^= 1;
    const read = contentFromBytes('p.vbundle', bytes, ctx);
    expect(read.ok && read.content.bundleProblems?.map((p) => p.code)).toEqual(['VIGIE_BUNDLE_DIGEST', 'VIGIE_BUNDLE_INCOMPATIBLE']);
  });

  it('blocks a bundle signed by keys the root does not trust', () => {
    const other = keyring();
    const read = contentFromBytes('p.vbundle', createBundle(input(), other.release), ctx);
    expect(read.ok && read.content.bundleProblems?.[0]?.code).toBe('VIGIE_BUNDLE_BAD_SIGNATURE');
  });

  it('without a root, the bundle check blocks on trust and the content is still handed on', () => {
    const read = contentFromBytes('p.vbundle', createBundle(input(), ring.release), { nowMs: NOW, trust: fail('VIGIE_TRUST_INVALID', 'cannot read root', { file: 'root.json' }) });
    expect(read.ok && read.content.bundleProblems?.map((p) => p.code)).toEqual(['VIGIE_TRUST_INVALID']);
    expect(read.ok && read.content.kind).toBe('signatures');
  });

  it('gives a blocked report for bytes that are a truncated bundle', () => {
    const bytes = createBundle(input(), ring.release);
    const read = contentFromBytes('p.vbundle', bytes.subarray(0, 40), ctx);
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.report).toMatchObject({ blocked: true, bundle: { kind: 'unknown' } });
    expect(read.report.checks[0]).toMatchObject({ name: 'bundle', verdict: 'block', code: 'VIGIE_BUNDLE_INVALID' });
  });

  it('takes raw files by extension or first byte, without bundle checks', () => {
    expect(contentFromBytes('p.json', packPayload, ctx)).toEqual({ ok: true, content: { kind: 'signatures', payload: packPayload, file: 'p.json' } });
    expect(rawKind('model', defaultModelBytes('process'))).toBe('model');
    expect(rawKind('pack', packPayload)).toBe('signatures');
    const current = currentFromBytes('c.vbundle', createBundle(input(), ring.release));
    expect(current.ok && Buffer.from(current.value.payload).equals(Buffer.from(packPayload))).toBe(true);
  });
});

describe('checkContentMatch', () => {
  const manifest = (over: object) => ({ format: 'vigie.bundle/1' as const, kind: 'model' as const, name: 'm', version: '1.0.0', sensorRange: '*', engineRange: '*', featureSchema: FEATURE_SCHEMA_VERSION, sha256: '0'.repeat(64), size: 1, created: '', expires: '', ...over });
  it('blocks a manifest whose name, version or feature schema is not the content\'s', () => {
    const c = checkContentMatch(manifest({ version: '1.0.1', featureSchema: 'vigie.features/2' }), { name: 'm', version: '1.0.0', featureSchema: FEATURE_SCHEMA_VERSION }, 'm.vbundle');
    expect(c.verdict).toBe('block');
    expect(c.problems!.map((p) => [p.code, p.location?.field])).toEqual([['VIGIE_BUNDLE_INVALID', 'signed.version'], ['VIGIE_BUNDLE_INCOMPATIBLE', 'signed.featureSchema']]);
    expect(checkContentMatch(manifest({}), { name: 'm', version: '1.0.0', featureSchema: FEATURE_SCHEMA_VERSION }, 'm').verdict).toBe('pass');
  });
});
