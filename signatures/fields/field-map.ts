/**
 * Sigma field names -> Vigie fields, per rule category.
 *
 * SigmaHQ rules for the categories Vigie supports are written against Sysmon's field names
 * (Image, CommandLine, ParentImage, DestinationIp, QueryName...); Linux process_creation rules reuse
 * the same names. This table is the one place where those names meet Vigie's namespace
 * (vigie-fields.ts): the Sigma compiler maps every field once, at compile time, and a field that is
 * not listed here makes its rule unsupported (VIGIE_RULE_UNSUPPORTED) rather than silently never
 * matching.
 *
 * Sigma field names are case-sensitive in the specification, but rule authors and log sources
 * disagree on case (`CommandLine` vs `commandline`), so `mapField` matches them case-insensitively.
 *
 * Hash fields: only the combined Sysmon `Hashes` string ("SHA1=...,MD5=...,IMPHASH=...") is mapped.
 * The split fields some pipelines produce (md5, sha256, Imphash...) have no Vigie counterpart and are
 * reported as unsupported.
 */
import type { RuleCategory } from '../ir.js';
import type { VigieField } from './vigie-fields.js';

/** Sigma (Sysmon) field name, as conventionally spelled, -> Vigie field; one table per category. */
export const SIGMA_FIELD_MAP: Readonly<Record<RuleCategory, Readonly<Record<string, VigieField>>>> = {
  process_creation: {
    Image: 'process.image',
    CommandLine: 'process.command_line',
    CurrentDirectory: 'process.cwd',
    User: 'process.user',
    IntegrityLevel: 'process.integrity_level',
    Hashes: 'process.hashes',
    ProcessGuid: 'process.guid',
    ProcessId: 'process.pid',
    LogonId: 'process.logon_id',
    OriginalFileName: 'process.original_file_name',
    Description: 'process.description',
    Product: 'process.product',
    Company: 'process.company',
    FileVersion: 'process.file_version',
    ParentImage: 'parent.image',
    ParentCommandLine: 'parent.command_line',
    ParentUser: 'parent.user',
    ParentProcessId: 'parent.pid',
    ParentProcessGuid: 'parent.guid',
    Computer: 'event.host',
    Hostname: 'event.host',
  },
  network_connection: {
    Image: 'process.image',
    User: 'process.user',
    ProcessId: 'process.pid',
    CommandLine: 'process.command_line',
    ParentImage: 'parent.image',
    Initiated: 'network.initiated',
    Protocol: 'network.protocol',
    SourceIp: 'network.source_ip',
    SourcePort: 'network.source_port',
    SourceIsIpv6: 'network.source_is_ipv6',
    DestinationIp: 'network.destination_ip',
    DestinationPort: 'network.destination_port',
    DestinationHostname: 'network.destination_hostname',
    DestinationIsIpv6: 'network.destination_is_ipv6',
    Computer: 'event.host',
    Hostname: 'event.host',
  },
  dns_query: {
    Image: 'process.image',
    ProcessId: 'process.pid',
    QueryName: 'dns.query_name',
    QueryResults: 'dns.query_results',
    QueryStatus: 'dns.query_status',
    Computer: 'event.host',
    Hostname: 'event.host',
  },
};

/** The same tables keyed by lower-cased Sigma name, for case-insensitive lookup. */
const LOWER_CASE_INDEX: Readonly<Record<RuleCategory, ReadonlyMap<string, VigieField>>> = {
  process_creation: lowerCaseIndex(SIGMA_FIELD_MAP.process_creation),
  network_connection: lowerCaseIndex(SIGMA_FIELD_MAP.network_connection),
  dns_query: lowerCaseIndex(SIGMA_FIELD_MAP.dns_query),
};

function lowerCaseIndex(table: Readonly<Record<string, VigieField>>): ReadonlyMap<string, VigieField> {
  return new Map(Object.entries(table).map(([name, field]) => [name.toLowerCase(), field]));
}

/** The Vigie field for a Sigma field name in rules of `category`, or undefined when unmapped. */
export function mapField(category: RuleCategory, sigmaName: string): VigieField | undefined {
  return LOWER_CASE_INDEX[category].get(sigmaName.toLowerCase());
}
