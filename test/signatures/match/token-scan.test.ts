import { describe, expect, it } from 'vitest';
import { LiteralScanner } from '../../../signatures/match/literal-scan.js';
import { TokenScanner, isToken } from '../../../signatures/match/token-scan.js';
import { mulberry32 } from './prng.js';

function found(scanner: { scan: TokenScanner['scan'] }, text: string, payloads: number): number[] {
  const out = new Int32Array(payloads);
  const n = scanner.scan(text, new Uint32Array(payloads), 1, out, 0);
  return [...out.subarray(0, n)].sort((a, b) => a - b);
}

describe('TokenScanner', () => {
  it('recognizes name=hex literals', () => {
    expect(isToken('md5=49d503ca73babd8fccf522a611b539d1')).toBe(true);
    expect(isToken('imphash=1a2b')).toBe(true);
    expect(isToken('\\perfc.dat')).toBe(false);
    expect(isToken('md5=xyz')).toBe(false);
  });

  it('finds hashes in a Sysmon Hashes value, whatever their case, and the other literals', () => {
    const scanner = new TokenScanner(
      new Map([['md5=49d503ca73babd8fccf522a611b539d1', [0]], ['sha1=c89b1460802dda1c7f90526d52e37845e0c20873', [1, 2]], ['md5=49d503ca73babd8fccf522a611b539d2', [3]]]),
      new Map([['\\perfc.dat', [4]]]),
    );
    const hashes = 'SHA1=C89B1460802DDA1C7F90526D52E37845E0C20873,MD5=49D503CA73BABD8FCCF522A611B539D1,IMPHASH=41577F20179B0B22CBA46170F1773F1D';
    expect(found(scanner, hashes, 5)).toEqual([0, 1, 2]);
    expect(found(scanner, 'MD5=49D503CA73BABD8FCCF522A611B539D', 5)).toEqual([]); // one digit short
    expect(found(scanner, 'xmd5=49d503ca73babd8fccf522a611b539d1ff', 5)).toEqual([0]); // inside a longer token: still there
    expect(found(scanner, 'C:\\PERFC.DAT', 5)).toEqual([4]);
    expect(scanner.test(hashes)).toBe(true);
    expect(scanner.test('MD5=00')).toBe(false);
  });

  it('agrees with includes on the lower-cased value (random values, "İ" and the Kelvin sign)', () => {
    const rnd = mulberry32(5);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)] as T;
    const hex = (n: number) => Array.from({ length: n }, () => pick([...'0123456789abcdef'])).join('');
    const names = ['md5', 'sha1', 'imphash', 'k2'];
    const tokens = new Map<string, number[]>();
    while (tokens.size < 60) tokens.set(`${pick(names)}=${hex(pick([4, 8, 12]))}`, [tokens.size]);
    const literals = [...tokens.keys()];
    const scanner = new TokenScanner(tokens, new Map([['x=y', [60]]]));
    const caseOf = (s: string) => [...s].map((c) => (rnd() < 0.5 ? c.toUpperCase() : c)).join('');
    let hits = 0;
    for (let n = 0; n < 3000; n++) {
      let text = '';
      for (let k = 0; k < 1 + Math.floor(rnd() * 4); k++) {
        const r = rnd();
        const piece = r < 0.4 ? pick(literals) : r < 0.6 ? pick(literals).slice(0, -1) + hex(2) : `${pick(names)}=${hex(pick([3, 8, 14]))}`;
        text += caseOf(piece) + pick([',', '', '=', ' ', 'İ', '\u212a', 'x=y']);
      }
      if (rnd() < 0.2) text = text.replace(/k/gi, '\u212a');
      const lower = text.toLowerCase();
      const expected = literals.flatMap((l, i) => (lower.includes(l) ? [i] : [])).concat(lower.includes('x=y') ? [60] : []);
      hits += expected.length;
      expect(found(scanner, text, 61), JSON.stringify(text)).toEqual(expected);
    }
    expect(hits).toBeGreaterThan(1000);
  });
});

describe('LiteralScanner', () => {
  it('rejects a value without any literal\'s anchor, without lower-casing it', () => {
    const scanner = new LiteralScanner(new Map([['\\perfc.dat', [0]], ['0x3e7', [1]]]));
    expect(scanner.rejects('{8e5c1b2a-aaaa-bbbb}')).toBe(true);
    expect(scanner.rejects('0X3E7')).toBe(false);
    expect(found(scanner, '0X3E7', 2)).toEqual([1]);
    expect(found(scanner, 'C:\\Windows\\PERFC.dat', 2)).toEqual([0]);
    expect(found(scanner, 'perfc.dat', 2)).toEqual([]);
    // A literal without an anchor (only letters) may always occur.
    expect(new LiteralScanner(new Map([['abc', [0]]])).rejects('xyz')).toBe(false);
  });
});
