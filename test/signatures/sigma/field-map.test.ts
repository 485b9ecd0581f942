import { describe, expect, it } from 'vitest';
import { SIGMA_FIELD_MAP, mapField } from '../../../signatures/fields/field-map.js';
import { VIGIE_FIELDS, fieldApplies } from '../../../signatures/fields/vigie-fields.js';
import type { RuleCategory } from '../../../signatures/ir.js';

describe('field map', () => {
  it('maps Sysmon names per category', () => {
    expect(mapField('process_creation', 'Image')).toBe('process.image');
    expect(mapField('process_creation', 'ParentCommandLine')).toBe('parent.command_line');
    expect(mapField('process_creation', 'Hashes')).toBe('process.hashes');
    expect(mapField('process_creation', 'Hostname')).toBe('event.host');
    expect(mapField('network_connection', 'DestinationPort')).toBe('network.destination_port');
    expect(mapField('network_connection', 'Initiated')).toBe('network.initiated');
    expect(mapField('dns_query', 'QueryName')).toBe('dns.query_name');
    expect(mapField('dns_query', 'Image')).toBe('process.image');
  });

  it('matches names case-insensitively', () => {
    expect(mapField('process_creation', 'commandline')).toBe('process.command_line');
    expect(mapField('process_creation', 'PARENTIMAGE')).toBe('parent.image');
  });

  it('leaves unknown and category-foreign fields unmapped', () => {
    expect(mapField('process_creation', 'GrandParentImage')).toBeUndefined();
    expect(mapField('process_creation', 'md5')).toBeUndefined();
    expect(mapField('process_creation', 'QueryName')).toBeUndefined();
    expect(mapField('dns_query', 'CommandLine')).toBeUndefined();
    expect(mapField('network_connection', 'ParentCommandLine')).toBeUndefined();
  });

  it('only names Vigie fields that events of the category carry', () => {
    for (const [category, table] of Object.entries(SIGMA_FIELD_MAP) as [RuleCategory, Record<string, keyof typeof VIGIE_FIELDS>][]) {
      for (const [sigma, vigie] of Object.entries(table)) {
        expect(fieldApplies(vigie, category), `${category}: ${sigma} -> ${vigie}`).toBe(true);
      }
    }
  });
});
