import { describe, expect, it } from 'vitest';
import { globMatcher, globToRegExp, longestLiteral } from '../../../signatures/match/glob.js';
import { mulberry32 } from './prng.js';

describe('globMatcher', () => {
  it('matches *-only patterns without the regex engine, like the regex would', () => {
    const m = globMatcher('* -e* jab*');
    expect(m('powershell -enc jabc')).toBe(true);
    expect(m('powershell jab -e')).toBe(false);
    expect(globMatcher('ab*ba')('aba')).toBe(false); // prefix and suffix may not overlap
    expect(globMatcher('ab*ba')('abba')).toBe(true);
    expect(globMatcher('a**b')('ab')).toBe(true);
    expect(globMatcher('abc')('abc')).toBe(true);
    expect(globMatcher('abc')('abcd')).toBe(false);
    expect(globMatcher('*')('')).toBe(true);
  });

  it('agrees with the anchored RegExp on random patterns and texts', () => {
    const rnd = mulberry32(5);
    const pick = (xs: string) => xs[Math.floor(rnd() * xs.length)] as string;
    let matched = 0;
    for (let n = 0; n < 3000; n++) {
      let pattern = '';
      for (let k = 0; k < 1 + Math.floor(rnd() * 6); k++) pattern += pick('ab*?*\n');
      let text = '';
      for (let k = 0; k < Math.floor(rnd() * 8); k++) text += pick('ab\n');
      const expected = globToRegExp(pattern).test(text);
      if (expected) matched++;
      expect(globMatcher(pattern)(text), `${JSON.stringify(pattern)} on ${JSON.stringify(text)}`).toBe(expected);
    }
    expect(matched).toBeGreaterThan(300);
  });

  it('finds the longest literal run', () => {
    expect(longestLiteral('*\\sys?em32\\*.exe')).toBe('em32\\');
    expect(longestLiteral('*')).toBe('');
  });
});
