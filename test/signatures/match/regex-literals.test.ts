import { describe, expect, it } from 'vitest';
import { regexGuard, regexLiteralRuns } from '../../../signatures/match/regex-literals.js';
import { mulberry32 } from './prng.js';

describe('regexLiteralRuns', () => {
  it('reads the literal runs of the top level', () => {
    expect(regexLiteralRuns('-enc\\w*\\s+[a-z]', '')).toEqual(['-enc']);
    expect(regexLiteralRuns('\\w+`(?:\\w+|-|.)`[\\w+|\\s]', '')).toEqual(['`', '`']);
    expect(regexLiteralRuns('c:\\\\windows\\\\.*\\.exe$', '')).toEqual(['c:\\windows\\', '.exe']);
    expect(regexLiteralRuns('^abc', '')).toEqual(['abc']);
  });

  it('drops optional characters and ends a run at a repeated one', () => {
    expect(regexLiteralRuns('abc?d', '')).toEqual(['ab', 'd']);
    expect(regexLiteralRuns('ab*c', '')).toEqual(['a', 'c']);
    expect(regexLiteralRuns('ab+c', '')).toEqual(['ab', 'c']);
    expect(regexLiteralRuns('ab{0,3}c', '')).toEqual(['a', 'c']);
    expect(regexLiteralRuns('ab{2}c', '')).toEqual(['ab', 'c']);
    expect(regexLiteralRuns('ab+?c', '')).toEqual(['ab', 'c']);
    expect(regexLiteralRuns('a{x}', '')).toEqual(['a{x}']);
    expect(regexLiteralRuns('(ab)+cd', '')).toEqual(['cd']);
  });

  it('gives up on top-level alternation and context-dependent escapes', () => {
    expect(regexLiteralRuns('abc|def', '')).toEqual([]);
    expect(regexLiteralRuns('abc\\x41', '')).toEqual([]);
    expect(regexLiteralRuns('abc\\u0041', '')).toEqual([]);
    expect(regexLiteralRuns('(a|b)cd', '')).toEqual(['cd']);
    expect(regexLiteralRuns('[|]cd', '')).toEqual(['cd']);
    expect(regexLiteralRuns('ab\\dcd\\1ef', '')).toEqual(['ab', 'cd', 'ef']);
  });

  it('lower-cases with the i flag and drops non-ASCII runs then', () => {
    expect(regexLiteralRuns('PowerShell', 'i')).toEqual(['powershell']);
    expect(regexLiteralRuns('ΑΣ.ab', 'i')).toEqual(['ab']);
    expect(regexLiteralRuns('ΑΣ.ab', '')).toEqual(['ΑΣ', 'ab']);
  });

  it('guards on the runs occurring in pattern order', () => {
    const guard = regexGuard('a.bcd.ef', '');
    expect(guard?.('xa-bcd-ef')).toBe(true);
    expect(guard?.('bcd a ef')).toBe(false);
    const plus = regexGuard('\\+.*\\+.*\\+', '');
    expect(plus?.('a+b+c')).toBe(false);
    expect(plus?.('a+b+c+')).toBe(true);
    expect(regexGuard('.*', '')).toBeUndefined();
  });

  it('never claims a literal the regex can match without (random patterns)', () => {
    const rnd = mulberry32(11);
    const atoms = ['a', 'b', 'A', '.', '\\.', '\\w', '[ab]', '(a|b)', '(?:ab)', '\\d', '^', '$', '|', 'ab'];
    const quants = ['', '', '', '*', '+', '?', '{0,2}', '{1,2}', '+?', '*?'];
    const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)] as T;
    let checked = 0;
    for (let n = 0; n < 2000; n++) {
      let source = '';
      for (let k = 0; k < 1 + Math.floor(rnd() * 5); k++) source += pick(atoms) + pick(quants);
      let re: RegExp;
      const flags = rnd() < 0.5 ? 'i' : '';
      try {
        re = new RegExp(source, flags);
      } catch {
        continue;
      }
      const runs = regexLiteralRuns(source, flags);
      for (let t = 0; t < 20; t++) {
        let text = '';
        for (let k = 0; k < Math.floor(rnd() * 8); k++) text += pick(['a', 'b', 'A', 'B', '.', '1', ' ']);
        if (!re.test(text)) continue;
        const hay = flags ? text.toLowerCase() : text;
        expect(regexGuard(source, flags)?.(hay) ?? true, `guard of /${source}/${flags} refuses "${text}"`).toBe(true);
        checked += runs.length;
        for (const r of runs) expect(hay.includes(r), `/${source}/${flags} on "${text}" lacks "${r}"`).toBe(true);
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });
});
