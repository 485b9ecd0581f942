import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../rollout/trust/index.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x y' } })).toBe('{"a":{"c":"x y","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('gives the same text whatever the insertion order, and round-trips through JSON.parse', () => {
    const a = { version: 2, name: 'p', nested: { k2: 'é\u2028', k1: -0.5 } };
    const b = { nested: { k1: -0.5, k2: 'é\u2028' }, name: 'p', version: 2 };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(JSON.parse(canonicalJson(a)))).toBe(canonicalJson(a));
  });

  it('drops undefined members like JSON.stringify, and escapes strings like it', () => {
    expect(canonicalJson({ a: undefined, b: '"\\\n' })).toBe(JSON.stringify({ b: '"\\\n' }));
  });

  it('rejects non-finite numbers and non-JSON values with the path', () => {
    expect(() => canonicalJson({ a: [1, Number.NaN] })).toThrow(/\$\.a\[1\]/);
    expect(() => canonicalJson({ x: Number.POSITIVE_INFINITY })).toThrow(/non-finite/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/function/);
    expect(() => canonicalJson(10n)).toThrow(/bigint/);
    expect(() => canonicalJson({ when: new Date(0) })).toThrow(/not a plain object at \$\.when/);
    expect(canonicalJson(Object.assign(Object.create(null) as object, { b: 1 }))).toBe('{"b":1}');
  });
});
