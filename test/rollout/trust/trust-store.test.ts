import { describe, expect, it } from 'vitest';
import { BUNDLE_FORMAT } from '../../../rollout/bundle/index.js';
import type { BundleManifest } from '../../../rollout/bundle/index.js';
import { DIRECTIVE_FORMAT } from '../../../rollout/controller/directive.js';
import type { Directive } from '../../../rollout/controller/directive.js';
import { addSignatures, createRoot, generateKeyPair, rootProblems, signDocument, TrustStore } from '../../../rollout/trust/index.js';
import type { KeyPair, RootMetadata, Signed } from '../../../rollout/trust/index.js';
import { DAY, keyring, NOW } from './keyring.js';

const iso = (ms: number) => new Date(ms).toISOString();

function manifest(over: Partial<BundleManifest> = {}): BundleManifest {
  return {
    format: BUNDLE_FORMAT, kind: 'signatures', name: 'vigie-default', version: '1.2.0',
    sensorRange: '>=0.1.0 <1.0.0', engineRange: '>=0.1.0 <1.0.0', featureSchema: 'vigie.fields/1',
    sha256: 'a'.repeat(64), size: 10, created: iso(NOW - DAY), expires: iso(NOW + 30 * DAY), ...over,
  };
}

function directive(over: Partial<Directive> = {}): Directive {
  return {
    format: DIRECTIVE_FORMAT, serial: 7, issued: iso(NOW), expires: iso(NOW + DAY),
    targets: [{ kind: 'signatures', name: 'vigie-default', version: '1.2.0', sha256: 'b'.repeat(64) }], rollback: [], ...over,
  };
}

const errorOf = (r: { ok: boolean; error?: { code: string; message: string; location?: object } }) => {
  expect(r.ok).toBe(false);
  return r.error!;
};

describe('TrustStore: the pinned root', () => {
  it('accepts a root signed by its root threshold and refuses one below it', () => {
    const k = keyring();
    expect(k.trust.version).toBe(1);
    const one = signDocument(k.signedRoot.signed, [k.root[0]!]);
    const e = errorOf(TrustStore.fromRoot(one, NOW, { file: 'root.json' }));
    expect(e.code).toBe('VIGIE_TRUST_INVALID');
    expect(e.message).toContain('1 valid signature of 2 needed');
    expect(e.location).toEqual({ file: 'root.json', field: 'signatures' });
  });

  it('refuses an expired root (VIGIE_BUNDLE_EXPIRED at signed.expires)', () => {
    const k = keyring();
    const e = errorOf(TrustStore.fromRoot(k.signedRoot, NOW + 366 * DAY, { file: 'root.json' }));
    expect(e.code).toBe('VIGIE_BUNDLE_EXPIRED');
    expect(e.location).toEqual({ file: 'root.json', field: 'signed.expires' });
  });

  it('reports every shape problem of a root, each with its field', () => {
    const k = keyring();
    const bad = JSON.parse(JSON.stringify(k.signedRoot.signed)) as Record<string, any>;
    bad.version = 0;
    bad.expires = 'tomorrow';
    bad.extra = 1;
    bad.roles.release.threshold = 5;
    const someKey = Object.keys(bad.keys)[0]!;
    bad.keys[someKey].publicKey = generateKeyPair().publicKey; // keyid no longer names the key
    const fields = rootProblems(bad, 'root.json').map((p) => p.location?.field);
    expect(fields).toEqual(expect.arrayContaining([
      'signed.extra', 'signed.version', 'signed.expires', `signed.keys.${someKey}`, 'signed.roles.release.threshold',
    ]));
    expect(errorOf(TrustStore.fromRoot({ signed: bad as RootMetadata, signatures: [] }, NOW)).code).toBe('VIGIE_TRUST_INVALID');
    expect(errorOf(TrustStore.fromRoot({ signed: 'x' } as unknown as Signed<RootMetadata>, NOW)).location).toEqual({ field: 'signed' });
  });
});

describe('TrustStore: root rotation', () => {
  function nextRoot(k: ReturnType<typeof keyring>, newRootKeys: KeyPair[], version = 2, expiresMs = NOW + 400 * DAY) {
    const release = [generateKeyPair()];
    const doc = createRoot({ root: newRootKeys, release, directive: k.directive }, { version, expires: iso(expiresMs), thresholds: { root: 2 } });
    return { doc, release };
  }

  it('accepts version + 1 signed by the old and the new root thresholds, then trusts the new release keys only', () => {
    const k = keyring();
    const fresh = [generateKeyPair(), generateKeyPair()];
    const { doc, release } = nextRoot(k, fresh);
    const signed = addSignatures(signDocument(doc, fresh), [k.root[0]!, k.root[2]!]);
    const rotated = k.trust.rotate(signed, NOW);
    expect(rotated.ok).toBe(true);
    if (!rotated.ok) return;
    expect(rotated.value.version).toBe(2);
    const m = manifest();
    expect(rotated.value.verifyManifest(signDocument(m, release), NOW).ok).toBe(true);
    expect(errorOf(rotated.value.verifyManifest(signDocument(m, [k.release[0]!]), NOW)).code).toBe('VIGIE_BUNDLE_BAD_SIGNATURE');
    // and the store it came from is unchanged
    expect(k.trust.verifyManifest(signDocument(m, [k.release[0]!]), NOW).ok).toBe(true);
  });

  it('refuses a next root without the old threshold, without the new threshold, skipped, replayed or expired', () => {
    const k = keyring();
    const fresh = [generateKeyPair(), generateKeyPair()];
    const { doc } = nextRoot(k, fresh);
    const onlyNew = signDocument(doc, fresh);
    let e = errorOf(k.trust.rotate(onlyNew, NOW, { file: 'root-2.json' }));
    expect(e.code).toBe('VIGIE_TRUST_INVALID');
    expect(e.message).toMatch(/root v1 keys.*0 valid signatures of 2 needed/);

    const oneOld = addSignatures(onlyNew, [k.root[1]!]);
    expect(errorOf(k.trust.rotate(oneOld, NOW)).message).toContain('1 valid signature of 2 needed');

    const onlyOld = signDocument(doc, [k.root[0]!, k.root[1]!, fresh[0]!]);
    e = errorOf(k.trust.rotate(onlyOld, NOW));
    expect(e.message).toMatch(/root v2 \(self-signature\).*1 valid signature of 2/);

    const skip = nextRoot(k, fresh, 3);
    e = errorOf(k.trust.rotate(addSignatures(signDocument(skip.doc, fresh), k.root), NOW));
    expect(e.code).toBe('VIGIE_TRUST_INVALID');
    expect(e.location).toEqual({ field: 'signed.version' });
    expect(e.message).toContain('must be v2');

    // Replaying the current root (version 1) is a rollback.
    expect(errorOf(k.trust.rotate(k.signedRoot, NOW)).code).toBe('VIGIE_BUNDLE_ROLLBACK');

    const stale = nextRoot(k, fresh, 2, NOW - 1);
    expect(errorOf(k.trust.rotate(addSignatures(signDocument(stale.doc, fresh), k.root), NOW)).code).toBe('VIGIE_BUNDLE_EXPIRED');
  });

  it('lets an expired root be rotated (how a fleet recovers), but not load content', () => {
    const k = keyring({ expiresMs: NOW + DAY });
    const later = NOW + 2 * DAY;
    expect(errorOf(k.trust.verifyManifest(signDocument(manifest({ expires: iso(later + DAY) }), k.release), later)).message).toMatch(/trusted root v1 expired/);
    const fresh = [generateKeyPair(), generateKeyPair()];
    const { doc } = nextRoot(k, fresh);
    expect(k.trust.rotate(addSignatures(signDocument(doc, fresh), k.root), later).ok).toBe(true);
  });
});

describe('TrustStore: manifests and directives', () => {
  it('checks the release threshold: a key not in root, one signature of two', () => {
    const k = keyring({ thresholds: { release: 2 } });
    const m = manifest();
    expect(k.trust.verifyManifest(signDocument(m, k.release), NOW)).toEqual({ ok: true, value: m });
    const e = errorOf(k.trust.verifyManifest(signDocument(m, [k.release[0]!]), NOW, { file: 'x.vbundle' }));
    expect(e).toMatchObject({ code: 'VIGIE_BUNDLE_BAD_SIGNATURE', location: { file: 'x.vbundle', field: 'signatures' } });
    expect(e.message).toContain('1 valid signature of 2 needed');
    expect(errorOf(k.trust.verifyManifest(signDocument(m, [generateKeyPair(), generateKeyPair()]), NOW)).message).toContain('0 valid signatures of 2');
    // Root and directive keys are in root, but not in the release role.
    expect(errorOf(k.trust.verifyManifest(signDocument(m, [...k.root, ...k.directive]), NOW)).code).toBe('VIGIE_BUNDLE_BAD_SIGNATURE');
  });

  it('refuses an expired manifest, a changed field and a bad shape', () => {
    const k = keyring();
    const expired = manifest({ expires: iso(NOW - 1) });
    expect(errorOf(k.trust.verifyManifest(signDocument(expired, k.release), NOW))).toMatchObject({ code: 'VIGIE_BUNDLE_EXPIRED', location: { field: 'signed.expires' } });
    const signed = signDocument(manifest(), k.release);
    const changed = { ...signed, signed: { ...signed.signed, sensorRange: '*' } };
    expect(errorOf(k.trust.verifyManifest(changed, NOW)).code).toBe('VIGIE_BUNDLE_BAD_SIGNATURE');
    const shaped = signDocument(manifest({ version: 'v2' }), k.release);
    expect(errorOf(k.trust.verifyManifest(shaped, NOW))).toMatchObject({ code: 'VIGIE_BUNDLE_INVALID', location: { field: 'signed.version' } });
  });

  it('checks directives with the directive role, their expiry and their serial', () => {
    const k = keyring();
    const d = directive();
    expect(k.trust.verifyDirective(signDocument(d, k.directive), NOW)).toEqual({ ok: true, value: d });
    expect(errorOf(k.trust.verifyDirective(signDocument(d, k.release), NOW)).code).toBe('VIGIE_BUNDLE_BAD_SIGNATURE');
    expect(errorOf(k.trust.verifyDirective(signDocument(directive({ expires: iso(NOW) }), k.directive), NOW)).code).toBe('VIGIE_BUNDLE_EXPIRED');
    expect(errorOf(k.trust.verifyDirective(signDocument(d, k.directive), NOW, { lastSerial: 7 }))).toMatchObject({ code: 'VIGIE_BUNDLE_ROLLBACK', location: { field: 'signed.serial' } });
    expect(k.trust.verifyDirective(signDocument(d, k.directive), NOW, { lastSerial: 6 }).ok).toBe(true);
    const bad = directive({ targets: [{ kind: 'firmware' as 'model', name: '', version: '1', sha256: 'x' }] });
    expect(errorOf(k.trust.verifyDirective(signDocument(bad, k.directive), NOW))).toMatchObject({ code: 'VIGIE_DIRECTIVE_INVALID', location: { field: 'signed.targets[0].kind' } });
  });
});
