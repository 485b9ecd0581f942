import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FEATURE_SCHEMA_VERSION, NETWORK_LAYOUT, NETWORK_WIDTH, PROCESS_LAYOUT, PROCESS_WIDTH, SCHEMA_DOC_BEGIN, SCHEMA_DOC_END,
  schemaReference,
} from '../../../models/features/index.js';

describe('feature schema v1', () => {
  it('has a version and fixed widths', () => {
    expect(FEATURE_SCHEMA_VERSION).toBe('vigie.features/1');
    expect(PROCESS_WIDTH).toBe(39);
    expect(NETWORK_WIDTH).toBe(32);
    expect(PROCESS_LAYOUT.features).toHaveLength(PROCESS_WIDTH);
    expect(NETWORK_LAYOUT.features).toHaveLength(NETWORK_WIDTH);
  });

  it('keeps its column names and order (changing them is a new schema version)', () => {
    expect(PROCESS_LAYOUT.names.join(',')).toBe(
      'hour_sin,hour_cos,weekend,ancestry_depth,parent_unknown,image_system_dir,image_program_dir,image_user_writable,' +
        'image_temp_dir,image_renamed,image_script_host,parent_document_app,parent_script_host,lineage_script_host,' +
        'image_recon_tool,parent_user_writable,cmd_length,cmd_entropy,' +
        'cmd_tokens,cmd_base64_run,cmd_hex_run,cmd_urls,cmd_ip_literals,cmd_encoded,cmd_evasion_markers,cmd_obfuscation,' +
        'user_system,user_changed,integrity_level,rare_image_host,rare_image_tenant,rare_image_fleet,rare_pair_tenant,' +
        'rare_pair_fleet,rare_chain_tenant,rare_user_image_tenant,rare_hash_tenant,rare_cmd_token_max,cmd_new_token_fraction',
    );
    expect(NETWORK_LAYOUT.names.join(',')).toBe(
      'hour_sin,hour_cos,duration,connections,distinct_peers,distinct_ports,peer_ratio,outbound_fraction,inbound_fraction,' +
        'udp_fraction,public_peer_fraction,high_port_fraction,bytes_sent,bytes_received,send_ratio,beacon_regularity,' +
        'beacon_interval,top_peer_share,rare_destination_tenant,rare_destination_fleet,new_destination_fraction,' +
        'rare_port_tenant,process_script_host,process_user_writable,lineage_script_host,rare_network_image_tenant,dns_queries,dns_distinct_names,dns_failure_fraction,dns_label_entropy,' +
        'dns_name_length,rare_domain_tenant',
    );
  });

  it('names are unique snake_case, indexes match positions, every feature is described', () => {
    for (const layout of [PROCESS_LAYOUT, NETWORK_LAYOUT]) {
      expect(new Set(layout.names).size).toBe(layout.width);
      layout.features.forEach((f, i) => {
        expect(f.index).toBe(i);
        expect((layout.index as Record<string, number>)[f.name]).toBe(i);
        expect(f.name).toMatch(/^[a-z][a-z0-9_]*$/);
        expect(f.description.length).toBeGreaterThan(15);
        expect(['numeric', 'flag', 'fraction', 'cyclic', 'rarity']).toContain(f.kind);
      });
    }
  });

  it('is frozen', () => {
    expect(Object.isFrozen(PROCESS_LAYOUT)).toBe(true);
    expect(Object.isFrozen(PROCESS_LAYOUT.features)).toBe(true);
    expect(Object.isFrozen(PROCESS_LAYOUT.features[0])).toBe(true);
    expect(Object.isFrozen(NETWORK_LAYOUT.index)).toBe(true);
  });
});

describe('models/features/README.md', () => {
  it('documents every field as schema-doc.ts generates it (regenerate: see schema-doc.ts)', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', '..', 'models', 'features', 'README.md'), 'utf8');
    const from = readme.indexOf(SCHEMA_DOC_BEGIN);
    const to = readme.indexOf(SCHEMA_DOC_END);
    expect(from).toBeGreaterThanOrEqual(0);
    expect(readme.slice(from, to + SCHEMA_DOC_END.length)).toBe(schemaReference());
  });
});
