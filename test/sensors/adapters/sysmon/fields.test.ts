import { describe, expect, it } from 'vitest';
import { INVALID, bool, parseUtcTime, text, uint } from '../../../../sensors/adapters/sysmon/fields.js';

describe('Sysmon field readers', () => {
  it.each([
    ['2020-10-21 18:43:55.123', '2020-10-21T18:43:55.123Z'],
    ['2020-10-21 18:43:55', '2020-10-21T18:43:55.000Z'],
    ['2022-05-13T08:54:05.1230000Z', '2022-05-13T08:54:05.123Z'],
    ['2022-05-11T18:10:20.399931000Z', '2022-05-11T18:10:20.399Z'],
    ['2020-10-21T18:43:55.5+02:00', '2020-10-21T16:43:55.500Z'],
    ['2020-10-21T18:43:55-0130', '2020-10-21T20:13:55.000Z'],
  ])('parses %s', (input, iso) => {
    expect(parseUtcTime(input)).toBe(Date.parse(iso));
  });

  it.each(['', '-', '2020-13-01 00:00:00', '2021-02-29 00:00:00', '2020-10-21', '10/21/2020 18:43', '2020-10-21 25:00:00'])(
    'refuses %j',
    (input) => expect(parseUtcTime(input)).toBeUndefined(),
  );

  it('reads "-" and "" as absent, renders numbers', () => {
    expect(text({ a: '-', b: '', c: 12, d: 'x' }, 'a')).toBeUndefined();
    expect(text({ b: '' }, 'b')).toBeUndefined();
    expect(text({ c: 12 }, 'c')).toBe('12');
    expect(text({ d: null }, 'd')).toBeUndefined();
  });

  it('reads unsigned integers from text or numbers and flags the rest', () => {
    expect(uint({ p: '4312' }, 'p')).toBe(4312);
    expect(uint({ p: 3284 }, 'p')).toBe(3284);
    expect(uint({}, 'p')).toBeUndefined();
    expect(uint({ p: '-' }, 'p')).toBeUndefined();
    for (const bad of ['0x10', '-1', '1.5', 'https', 4294967296, 1.5, '99999999999']) expect(uint({ p: bad }, 'p')).toBe(INVALID);
  });

  it('reads booleans in any case', () => {
    expect(bool({ i: 'True' }, 'i')).toBe(true);
    expect(bool({ i: false }, 'i')).toBe(false);
    expect(bool({ i: 'yes' }, 'i')).toBeUndefined();
  });
});
