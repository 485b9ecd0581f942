import * as zmq from 'zeromq';
import { describe, expect, it } from 'vitest';
import { curvePublicKey, generateCurveKeyPair, isCurveKey, seededCurveKeyPair } from '../../common/curve.js';
import { z85Decode, z85Encode } from '../../common/z85.js';

describe('z85', () => {
  it('matches the RFC 32 test vector', () => {
    const bytes = new Uint8Array([0x86, 0x4f, 0xd2, 0x6f, 0xb5, 0x59, 0xf7, 0x5b]);
    expect(z85Encode(bytes)).toBe('HelloWorld');
    expect(Array.from(z85Decode('HelloWorld')!)).toEqual(Array.from(bytes));
  });
  it('refuses text that is not Z85', () => {
    expect(z85Decode('Hello')).toBeDefined();
    expect(z85Decode('Hell')).toBeUndefined();
    expect(z85Decode('Hell~')).toBeUndefined();
  });
});

describe('curve keys', () => {
  it('derives the same public key as libzmq', () => {
    const pair = zmq.curveKeyPair();
    const derived = curvePublicKey(pair.secretKey);
    expect(derived.ok && derived.value).toBe(pair.publicKey);
  });
  it('generates valid pairs and seeded pairs are stable', () => {
    const g = generateCurveKeyPair();
    expect(isCurveKey(g.publicKey) && isCurveKey(g.secretKey)).toBe(true);
    expect(seededCurveKeyPair('host-1')).toEqual(seededCurveKeyPair('host-1'));
    expect(seededCurveKeyPair('host-1').publicKey).not.toBe(seededCurveKeyPair('host-2').publicKey);
  });
  it('rejects a malformed secret key with a typed error', () => {
    const r = curvePublicKey('short');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('VIGIE_KEY_INVALID');
  });
});
