import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Frame, Framer } from '../../../../sensors/adapters/replay/framing.js';
import { createArrayFramer, createLineFramer } from '../../../../sensors/adapters/replay/framing.js';
import { fixture } from '../helpers.js';

function frameAll(make: () => Framer, chunks: string[]): Frame[] {
  const f = make();
  return [...chunks.flatMap((c) => f.push(c)), ...f.end()];
}

/** The same text cut in two at every position must frame the same as in one piece. */
function expectChunkingInvariant(make: () => Framer, text: string): Frame[] {
  const whole = frameAll(make, [text]);
  for (let cut = 0; cut <= text.length; cut++) {
    expect(frameAll(make, [text.slice(0, cut), text.slice(cut)])).toEqual(whole);
  }
  // and one character at a time
  expect(frameAll(make, [...text])).toEqual(whole);
  return whole;
}

describe('JSON lines framing', () => {
  it('yields each non-blank line with its number, whatever the chunking', () => {
    const frames = expectChunkingInvariant(() => createLineFramer(), '\ufeff{"a":1}\r\n\n  \n{"b":2}\n{"c":3}');
    expect(frames).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 4, text: '{"b":2}' },
      { line: 5, text: '{"c":3}' },
    ]);
  });

  it('reports and skips a line longer than the bound, then goes on', () => {
    const frames = frameAll(() => createLineFramer(10), ['{"a":"0123', '456789abcdef"}\n{"b":2}\n']);
    expect(frames).toEqual([
      { line: 1, error: 'record longer than 10 characters, skipped' },
      { line: 2, text: '{"b":2}' },
    ]);
  });
});

describe('JSON array framing', () => {
  it('splits a pretty-printed array into elements, strings with brackets and quotes included', () => {
    const text = readFileSync(fixture('array.json'), 'utf8');
    const frames = expectChunkingInvariant(() => createArrayFramer(), text);
    expect(frames.map((f) => f.line)).toEqual([2, 13, 14]);
    const [first, second, third] = frames;
    expect(first && 'text' in first && JSON.parse(first.text)).toMatchObject({ EventID: 1 });
    expect(second).toEqual({ line: 13, text: '42' });
    expect(third && 'text' in third && JSON.parse(third.text)).toMatchObject({ QueryName: '[weird]{name}.test' });
  });

  it('reads scalars, nested arrays and an empty array', () => {
    expect(expectChunkingInvariant(() => createArrayFramer(), '[1, "a,]", [2,[3]], {"k":"}"} ,null]').map((f) => ('text' in f ? f.text : f.error))).toEqual(
      ['1', '"a,]"', '[2,[3]]', '{"k":"}"}', 'null'],
    );
    expect(frameAll(() => createArrayFramer(), ['  [ ]  '])).toEqual([]);
  });

  it('reports a truncated array, a non-array and trailing text', () => {
    expect(frameAll(() => createArrayFramer(), ['[{"a":1},\n{"b":'])).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 2, error: 'JSON array ends inside a record (truncated file)' },
    ]);
    expect(frameAll(() => createArrayFramer(), ['[{"a":1}'])).toEqual([{ line: 1, text: '{"a":1}' }, { line: 1, error: 'JSON array is not closed (truncated file)' }]);
    expect(frameAll(() => createArrayFramer(), ['{"a":1}'])).toEqual([{ line: 1, error: 'not a JSON array' }]);
    expect(frameAll(() => createArrayFramer(), ['[1]\n]'])).toEqual([{ line: 1, text: '1' }, { line: 2, error: 'text after the end of the JSON array' }]);
  });

  it('skips an element longer than the bound without keeping it', () => {
    const frames = frameAll(() => createArrayFramer(8), ['[{"a":"01234', '56789"},{"b":2}]']);
    expect(frames).toEqual([
      { line: 1, error: 'record longer than 8 characters, skipped' },
      { line: 1, text: '{"b":2}' },
    ]);
  });
});
