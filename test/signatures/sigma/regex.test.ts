/** Python regular expression syntax -> JavaScript, or a refusal. */
import { describe, expect, it } from 'vitest';
import { translateRegex } from '../../../signatures/sigma/regex.js';

describe('translateRegex', () => {
  it('keeps what both dialects read the same way', () => {
    expect(translateRegex('\\s-[FTd]\\s\\d{2,}(?:a|b)(?<!x)', '')).toEqual({ ok: true, source: '\\s-[FTd]\\s\\d{2,}(?:a|b)(?<!x)', flags: '' });
  });

  it('turns leading global flags into JS flags', () => {
    expect(translateRegex('(?i)abc', '')).toEqual({ ok: true, source: 'abc', flags: 'i' });
    expect(translateRegex('(?is)a.c', 'm')).toEqual({ ok: true, source: 'a.c', flags: 'ims' });
    expect(translateRegex('(?i)(?m)^a', '')).toEqual({ ok: true, source: '^a', flags: 'im' });
  });

  it('translates named groups, backreferences, comments, anchors and open quantifiers', () => {
    expect(translateRegex('(?P<q>[\'"])x(?P=q)', '')).toEqual({ ok: true, source: '(?<q>[\'"])x\\k<q>', flags: '' });
    expect(translateRegex('a(?#why)b', '')).toEqual({ ok: true, source: 'ab', flags: '' });
    expect(translateRegex('\\Aabc\\Z', '')).toEqual({ ok: true, source: '(?<![\\s\\S])abc(?![\\s\\S])', flags: '' });
    expect(translateRegex('a{,3}', '')).toEqual({ ok: true, source: 'a{0,3}', flags: '' });
    expect(translateRegex('[]a]', '')).toEqual({ ok: true, source: '[\\]a]', flags: '' });
  });

  it('rejects what JavaScript lacks or would read differently', () => {
    for (const bad of ['(?x)a b', '(?>a)', 'a++', '(?i:a)', 'a(?i)b', '\\e', '\\N{DASH}', 'a(b', '[a', '(?(1)a|b)']) {
      expect(translateRegex(bad, '').ok, bad).toBe(false);
    }
  });
});
