/**
 * The fuzz pass writes hostile values where rules read them: each setter must agree with the
 * sensor's own reader (signatures/fields readField), for every field and event kind it covers.
 */
import { describe, expect, it } from 'vitest';
import { readField } from '../../../signatures/fields/event-view.js';
import { VIGIE_FIELDS, fieldApplies, type VigieField } from '../../../signatures/fields/vigie-fields.js';
import type { RuleCategory } from '../../../signatures/ir.js';
import { setField, settableFields } from '../../../rollout/validate/index.js';
import { skeleton } from '../../../rollout/validate/event-fields.js';

const CATEGORIES: RuleCategory[] = ['process_creation', 'network_connection', 'dns_query'];
const DERIVED = new Set(['network.initiated', 'network.protocol', 'network.source_is_ipv6', 'network.destination_is_ipv6']);

describe('setField', () => {
  for (const category of CATEGORIES) {
    it(`writes every ${category} field where the sensor reads it`, () => {
      for (const field of settableFields(category)) {
        const e = skeleton(category);
        const value = VIGIE_FIELDS[field].type === 'number' ? 31337 : `fuzz-${field}`;
        expect(setField(e, category, field, value)).toBe(true);
        expect(readField(e, field)).toBe(value);
      }
    });

    it(`covers every ${category} field the sensor supplies, except those derived from an enum`, () => {
      const supplied = (Object.keys(VIGIE_FIELDS) as VigieField[]).filter((f) => fieldApplies(f, category) && !DERIVED.has(f));
      expect(settableFields(category).sort()).toEqual(supplied.sort());
    });
  }
});
