/**
 * Vigie's field namespace for signatures: the names compiled rules use (ir.ts), one per value a
 * matcher can read from an event. Sigma field names map onto these (field-map.ts); the matcher
 * reads them from events (event-view.ts). Add names, never rename: packs in the field use them.
 *
 * Values are strings or numbers as listed; an absent value is the empty string (or 0 for numbers
 * that are never 0 when present, like pids), as in proto3.
 */
import type { RuleCategory } from '../ir.js';

export const VIGIE_FIELDS = {
  // Every event.
  'event.host': { type: 'string', kinds: ['process_creation', 'network_connection', 'dns_query'] },
  // The process an event is about (the new process for process_creation, the owner otherwise).
  'process.image': { type: 'string', kinds: ['process_creation', 'network_connection', 'dns_query'] },
  'process.pid': { type: 'number', kinds: ['process_creation', 'network_connection', 'dns_query'] },
  'process.user': { type: 'string', kinds: ['process_creation', 'network_connection'] },
  'process.command_line': { type: 'string', kinds: ['process_creation', 'network_connection'] },
  'process.cwd': { type: 'string', kinds: ['process_creation'] },
  'process.integrity_level': { type: 'string', kinds: ['process_creation'] },
  'process.hashes': { type: 'string', kinds: ['process_creation'] },
  'process.guid': { type: 'string', kinds: ['process_creation'] },
  'process.logon_id': { type: 'string', kinds: ['process_creation'] },
  'process.original_file_name': { type: 'string', kinds: ['process_creation'] },
  'process.description': { type: 'string', kinds: ['process_creation'] },
  'process.product': { type: 'string', kinds: ['process_creation'] },
  'process.company': { type: 'string', kinds: ['process_creation'] },
  'process.file_version': { type: 'string', kinds: ['process_creation'] },
  // Its parent.
  'parent.image': { type: 'string', kinds: ['process_creation', 'network_connection'] },
  'parent.command_line': { type: 'string', kinds: ['process_creation'] },
  'parent.user': { type: 'string', kinds: ['process_creation'] },
  'parent.pid': { type: 'number', kinds: ['process_creation'] },
  'parent.guid': { type: 'string', kinds: ['process_creation'] },
  // Network connections. Source is the side that opened the connection (Sysmon's convention).
  'network.initiated': { type: 'string', kinds: ['network_connection'] }, // "true" | "false" | ""
  'network.protocol': { type: 'string', kinds: ['network_connection'] }, // "tcp" | "udp" | ""
  'network.source_ip': { type: 'string', kinds: ['network_connection'] },
  'network.source_port': { type: 'number', kinds: ['network_connection'] },
  'network.source_is_ipv6': { type: 'string', kinds: ['network_connection'] }, // "true" | "false"
  'network.destination_ip': { type: 'string', kinds: ['network_connection'] },
  'network.destination_port': { type: 'number', kinds: ['network_connection'] },
  'network.destination_hostname': { type: 'string', kinds: ['network_connection'] },
  'network.destination_is_ipv6': { type: 'string', kinds: ['network_connection'] },
  // DNS queries.
  'dns.query_name': { type: 'string', kinds: ['dns_query'] },
  'dns.query_results': { type: 'string', kinds: ['dns_query'] },
  'dns.query_status': { type: 'number', kinds: ['dns_query'] },
} as const satisfies Record<string, { type: 'string' | 'number'; kinds: readonly RuleCategory[] }>;

export type VigieField = keyof typeof VIGIE_FIELDS;

export function isVigieField(name: string): name is VigieField {
  return Object.hasOwn(VIGIE_FIELDS, name);
}

/** Whether events of `category` carry `field`. */
export function fieldApplies(field: VigieField, category: RuleCategory): boolean {
  return (VIGIE_FIELDS[field].kinds as readonly RuleCategory[]).includes(category);
}
