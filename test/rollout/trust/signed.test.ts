import { describe, expect, it } from 'vitest';
import { canonicalJson, checkThreshold, countValidSignatures, generateKeyPair, keyIdOf, signDocument } from '../../../rollout/trust/index.js';

const keys = [generateKeyPair(), generateKeyPair(), generateKeyPair()];
const table = Object.fromEntries(keys.map((k) => [k.keyid, { publicKey: k.publicKey }]));
const role = (threshold: number) => ({ keyids: keys.map((k) => k.keyid), threshold });
const loc = { file: 'doc.json' };

describe('keys and signed documents', () => {
  it('names a key by the sha256 of its raw 32-byte public key', () => {
    const k = keys[0]!;
    const raw = Buffer.from(k.publicKey, 'base64');
    expect(raw.length).toBe(32);
    expect(k.keyid).toBe(keyIdOf(raw));
    expect(k.keyid).toMatch(/^[0-9a-f]{64}$/);
  });

  it('verifies a signed document, and counts each key once', () => {
    const doc = signDocument({ hello: 'world', n: 1 }, [keys[0]!, keys[1]!]);
    expect(countValidSignatures(doc, table, role(2))).toBe(2);
    const dup = { ...doc, signatures: [doc.signatures[0]!, doc.signatures[0]!, doc.signatures[0]!] };
    const r = checkThreshold(dup, table, role(2), 'doc', loc);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('VIGIE_BUNDLE_BAD_SIGNATURE');
      expect(r.error.message).toContain('1 valid signature of 2 needed');
      expect(r.error.location).toEqual({ file: 'doc.json', field: 'signatures' });
    }
  });

  it('refuses a changed document and ignores keys outside the role', () => {
    const doc = signDocument({ a: 1 }, [keys[0]!]);
    expect(countValidSignatures({ ...doc, signed: { a: 2 } }, table, role(1))).toBe(0);
    const stranger = generateKeyPair();
    const byStranger = signDocument({ a: 1 }, [stranger]);
    // Even when the stranger's key is in the key table, it is not in the role.
    expect(countValidSignatures(byStranger, { ...table, [stranger.keyid]: { publicKey: stranger.publicKey } }, role(1))).toBe(0);
    // A signature claiming a role keyid but made by another key does not count.
    const forged = { signed: { a: 1 }, signatures: [{ keyid: keys[2]!.keyid, sig: byStranger.signatures[0]!.sig }] };
    expect(countValidSignatures(forged, table, role(1))).toBe(0);
    // Junk signatures are ignored, not thrown.
    const junk = { signed: { a: 1 }, signatures: [{ keyid: keys[0]!.keyid, sig: 'not base64!' }, { keyid: keys[1]!.keyid, sig: '' }] };
    expect(countValidSignatures(junk, table, role(1))).toBe(0);
  });

  it('signs the canonical form: key order of the signed object does not matter', () => {
    const doc = signDocument({ b: 2, a: 1 }, [keys[0]!]);
    const reordered = { signed: JSON.parse(canonicalJson({ a: 1, b: 2 })) as object, signatures: doc.signatures };
    expect(countValidSignatures(reordered, table, role(1))).toBe(1);
  });
});
