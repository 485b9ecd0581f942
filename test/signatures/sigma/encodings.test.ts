/** windash, base64offset and UTF-16 against known strings (pySigma's output for the same input). */
import { describe, expect, it } from 'vitest';
import { base64, base64Offsets, utf16, valueBytes, windash } from '../../../signatures/sigma/encodings.js';
import { display, parseSigmaString, plainText } from '../../../signatures/sigma/sigma-string.js';

const texts = (values: ReturnType<typeof windash>) => values?.map(display);

describe('windash', () => {
  it('expands a dash at the start of a word', () => {
    expect(texts(windash(parseSigmaString(' -enc ')))).toEqual([' -enc ', ' /enc ', ' \u2013enc ', ' \u2014enc ', ' \u2015enc ']);
  });

  it('expands a slash at the start of a word too, and leaves inner dashes alone', () => {
    expect(texts(windash(parseSigmaString('/c')))).toEqual(['-c', '/c', '\u2013c', '\u2014c', '\u2015c']);
    expect(texts(windash(parseSigmaString('a-b')))).toEqual(['a-b']);
    expect(texts(windash(parseSigmaString('--x')))).toEqual(['--x', '-/x', '-\u2013x', '-\u2014x', '-\u2015x']);
  });

  it('combines every alternative of several dashes and keeps wildcards', () => {
    const out = texts(windash(parseSigmaString('*-a -b*')));
    expect(out).toHaveLength(25);
    expect(out?.[0]).toBe('*-a -b*');
    expect(out).toContain('*/a \u2015b*');
  });

  it('refuses expansions past the bound', () => {
    expect(windash(parseSigmaString('-a -b -c -d -e -f'))).toBeUndefined();
  });
});

describe('base64 and base64offset', () => {
  const bytes = (s: string) => valueBytes(parseSigmaString(s), false) as Buffer;

  it('encodes plain base64', () => {
    expect(base64(bytes('ping'))).toBe('cGluZw==');
  });

  it('produces the three offsets for each length modulo 3', () => {
    expect(base64Offsets(bytes('/bin/bash'))).toEqual(['L2Jpbi9iYXNo', '9iaW4vYmFza', 'vYmluL2Jhc2']);
    expect(base64Offsets(bytes('ping'))).toEqual(['cGluZ', 'Bpbm', 'waW5n']);
    expect(base64Offsets(bytes('http'))).toEqual(['aHR0c', 'h0dH', 'odHRw']);
    expect(base64Offsets(bytes('IEX'))).toEqual(['SUVY', 'lFW', 'JRV']);
  });

  it('refuses values with wildcards', () => {
    expect(valueBytes(parseSigmaString('a*'), false)).toBeUndefined();
  });
});

describe('UTF-16', () => {
  it('encodes literal parts as bytes, keeping wildcards', () => {
    expect(plainText(utf16(parseSigmaString('ab'), 'utf16le'))).toBe('a\0b\0');
    expect(plainText(utf16(parseSigmaString('ab'), 'utf16be'))).toBe('\0a\0b');
    expect(plainText(utf16(parseSigmaString('ab'), 'utf16'))).toBe('\xff\xfea\0b\0');
    expect(display(utf16(parseSigmaString('a*'), 'utf16le'))).toBe('a\0*');
  });

  it('feeds base64offset with the encoded bytes', () => {
    const wide = utf16(parseSigmaString('spinstall0.aspx'), 'utf16le');
    expect(base64Offsets(valueBytes(wide, true) as Buffer)).toEqual([
      'cwBwAGkAbgBzAHQAYQBsAGwAMAAuAGEAcwBwAHgA',
      'MAcABpAG4AcwB0AGEAbABsADAALgBhAHMAcAB4A',
      'zAHAAaQBuAHMAdABhAGwAbAAwAC4AYQBzAHAAeA',
    ]);
  });

  it('encodes non-ASCII text correctly', () => {
    const wide = utf16(parseSigmaString('é'), 'utf16le');
    expect(valueBytes(wide, true)).toEqual(Buffer.from([0xe9, 0x00]));
  });
});
