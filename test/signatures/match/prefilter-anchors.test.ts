/**
 * Fields with a handful of literals are searched with `includes` on the lower-cased value, and
 * only when the raw value holds a literal's anchor (a character lower-casing cannot make).
 */
import { describe, expect, it } from 'vitest';
import { built, proc, rule, str } from './rules.js';

describe('prefilter: includes fields and their anchors', () => {
  const rules = [rule('guid', str('process.guid', 'contains', '\\PERFC.DAT')), rule('logon', str('process.logon_id', 'eq', '0x3E7'))];
  const fast = built(rules);
  const naive = built(rules, { prefilter: false });
  const hits = (guid: string, logonId: string) => {
    const events = [proc({ guid, logonId })];
    const h = fast.match(events).map((x) => x.rule);
    expect(naive.match(events).map((x) => x.rule)).toEqual(h);
    return h;
  };

  it('finds the literal whatever its case when the raw value holds the anchor', () => {
    expect(hits('{x}\\Perfc.Dat', '')).toEqual([0]);
    expect(hits('', '0X3E7')).toEqual([1]);
    expect(hits('\\perfc.\u212aat', '')).toEqual([]); // the Kelvin sign is a "k", not a "d"
  });

  it('skips a value without the anchor, and an empty one', () => {
    expect(hits('{8e5c1b2a-perfc-dat}', 'x3e7')).toEqual([]);
    expect(hits('', '')).toEqual([]);
  });
});
