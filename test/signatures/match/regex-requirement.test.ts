import { describe, expect, it } from 'vitest';
import { classRunTest, regexAlternatives, regexClassRun, regexShapeGuard } from '../../../signatures/match/regex-requirement.js';
import { mulberry32 } from './prng.js';

const any = () => true;
const long = (xs: readonly string[]) => xs.every((x) => x.length >= 2);

describe('regexAlternatives', () => {
  it('multiplies the alternatives of a run of atoms that each match once', () => {
    expect(regexAlternatives('\\\\[a-zA-Z0-9]{1,32}\\.[a-zA-Z0-9]{1,6}\\.[ "\']{1}', '', long)).toEqual(['. ', '."', ".'"]);
    expect(regexAlternatives('-(W|R)\\s?(\\s|"|\')', '', long)).toEqual(['-W', '-R']);
    expect(regexAlternatives('(?:ab|cd)ef', '', long)).toEqual(['abef', 'cdef']);
    expect(regexAlternatives('x(?=yz)yz', '', long)).toEqual(['xyz']);
    expect(regexAlternatives('ipconfig\\s+/all', 'i', long)).toEqual(['ipconfig']);
  });

  it('ends a run at an optional or unknown atom, and at a repeated one (which starts the next)', () => {
    expect(regexAlternatives('abc?d', '', any)).toEqual(['ab']);
    expect(regexAlternatives('ab+cd', '', any)).toEqual(['bcd']);
    expect(regexAlternatives('a.bcd', '', any)).toEqual(['bcd']);
    expect(regexAlternatives('(a|b)+c', '', any)).toEqual(['ac', 'bc']);
    expect(regexAlternatives('[a-z]bc', '', any)).toEqual(['bc']);
  });

  it('keeps the most selective set: the longest shortest alternative, then fewer', () => {
    expect(regexAlternatives('[xy]abc.[xyz]abc', '', any)).toEqual(['xabc', 'yabc']);
    // Products stop at 16 alternatives: [ij] begins another run.
    const wide = regexAlternatives('[ab][cd][ef][gh][ij]', '', any);
    expect(wide).toHaveLength(16);
    expect(wide?.every((x) => /^[ab][cd][ef][gh]$/.test(x))).toBe(true);
  });

  it('has none for a top-level alternation, an escape it cannot read, or nothing accepted', () => {
    expect(regexAlternatives('abc|def', '', any)).toBeUndefined();
    expect(regexAlternatives('abc\\x41', '', any)).toBeUndefined();
    expect(regexAlternatives('a.b', '', long)).toBeUndefined();
    expect(regexAlternatives('[ -/]x', '', long)).toBeUndefined(); // a range too wide to list
    expect(regexAlternatives('ΣΣ', '', any)).toBeUndefined(); // ASCII only
    expect(regexAlternatives('(a|)', '', any)).toBeUndefined(); // an empty alternative requires nothing
  });
});

describe('regexShapeGuard and regexClassRun', () => {
  it('refuses values shorter than the shortest match', () => {
    const guard = regexShapeGuard('abc\\d{3}', '');
    expect(guard?.('abc12')).toBe(false);
    expect(guard?.('xabc123')).toBe(true);
    expect(regexShapeGuard('a?', '')).toBeUndefined();
  });

  it('refuses values without the run of a class the regex repeats', () => {
    const guard = regexShapeGuard('\\s[a-fA-F0-9]{16}\\s', '') as (s: string) => boolean;
    expect(guard(` ${'0123456789abcdef'} `)).toBe(true);
    expect(guard(` ${'0123456789abcde'} ${'0'.repeat(40)}`)).toBe(true); // a run elsewhere: the regex decides
    expect(guard(` ${'0123456789abcdeg'}x${'f'.repeat(15)} `)).toBe(false);
    expect(regexClassRun('\\s[a-fA-F0-9]{64}\\s[a-fA-F0-9]{16}', '', 16)?.length).toBe(64);
    expect(regexClassRun('[a-f]{8}', '', 16)).toBeUndefined();
  });

  it('finds class runs as a character-by-character count would (random classes, lengths, texts)', () => {
    const rnd = mulberry32(31);
    const alphabet = ['a', 'b', 'F', '0', '9', ' ', '\n', '\r', '.', 'é'];
    let holds = 0;
    for (let n = 0; n < 400; n++) {
      const ascii = new Uint8Array(128);
      const dense = rnd() < 0.5;
      // Dense classes miss a character or two (the search path), sparse ones hold a few.
      for (let c = 0; c < 128; c++) ascii[c] = dense ? 1 : 0;
      for (const ch of alphabet.slice(0, 9)) if (rnd() < 0.3) ascii[ch.charCodeAt(0)] = dense ? 0 : 1;
      const beyond = dense || rnd() < 0.5;
      const length = 1 + Math.floor(rnd() * 12);
      const test = classRunTest(ascii, beyond, length);
      for (let t = 0; t < 20; t++) {
        let text = '';
        for (let k = 0; k < Math.floor(rnd() * 40); k++) text += alphabet[Math.floor(rnd() * alphabet.length)];
        let longest = 0;
        for (let i = 0, cur = 0; i < text.length; i++) {
          const c = text.charCodeAt(i);
          longest = Math.max(longest, (cur = (c < 128 ? ascii[c] === 1 : beyond) ? cur + 1 : 0));
        }
        expect(test(text), `${JSON.stringify(text)} run of ${length}`).toBe(longest >= length);
        if (longest >= length) holds++;
      }
    }
    expect(holds).toBeGreaterThan(1000);
  });

  it('never refuses what the regex matches, and its alternatives are in every match (random patterns)', () => {
    const rnd = mulberry32(23);
    const atoms = ['a', 'b', 'A', '.', '\\.', '\\w', '\\W', '\\s', '[ab]', '[^a]', '[a-c]', '(a|b)', '(?:ab)', '(?=a)', '\\d', '^', '$', '\\b', 'ab'];
    const quants = ['', '', '', '*', '+', '?', '{0,2}', '{1,2}', '{2}', '{3,}', '+?', '*?'];
    const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)] as T;
    let matched = 0;
    let required = 0;
    for (let n = 0; n < 3000; n++) {
      let source = '';
      for (let k = 0; k < 1 + Math.floor(rnd() * 5); k++) source += pick(atoms) + pick(quants);
      const flags = pick(['', 'i', 's', 'm']);
      let re: RegExp;
      try {
        re = new RegExp(source, flags);
      } catch {
        continue;
      }
      const alternatives = regexAlternatives(source, flags, any);
      const guard = regexShapeGuard(source, flags);
      const run = regexClassRun(source, flags, 2);
      for (let t = 0; t < 20; t++) {
        let text = '';
        for (let k = 0; k < Math.floor(rnd() * 9); k++) text += pick(['a', 'b', 'c', 'A', 'B', '.', '1', ' ', '\n', 'é']);
        if (!re.test(text)) continue;
        matched++;
        expect(guard?.(text) ?? true, `shape guard of /${source}/${flags} refuses ${JSON.stringify(text)}`).toBe(true);
        if (alternatives !== undefined && alternatives.every((x) => x !== '')) {
          required++;
          const hay = text.toLowerCase();
          expect(alternatives.some((x) => hay.includes(x.toLowerCase())), `/${source}/${flags} on ${JSON.stringify(text)} lacks ${alternatives}`).toBe(true);
        }
        if (run !== undefined) {
          const member = (c: number) => (c < 128 ? run.ascii[c] === 1 : run.beyondAscii);
          let longest = 0;
          for (let i = 0, cur = 0; i < text.length; i++) longest = Math.max(longest, (cur = member(text.charCodeAt(i)) ? cur + 1 : 0));
          expect(longest, `/${source}/${flags} on ${JSON.stringify(text)}: no run of ${run.length}`).toBeGreaterThanOrEqual(run.length);
        }
      }
    }
    expect(matched).toBeGreaterThan(3000);
    expect(required).toBeGreaterThan(500);
  });
});
