/**
 * Writing a Vigie field into an event: the inverse of the sensor's reader
 * (signatures/fields/event-view.ts), so the fuzz pass can put a hostile value exactly where a
 * rule reads it. A test checks every setter against readField, the sensor's own reader: if the
 * two ever disagree the test fails rather than the fuzz silently aiming at nothing.
 *
 * Network events are written outbound (Sysmon's source = the local side); fields derived from an
 * enum (network.initiated, network.protocol, *_is_ipv6) have no setter: the fuzz varies the enum.
 */
import { Direction } from '../../common/events.js';
import type { DnsQuery, Event, NetworkConnection, ProcessStart } from '../../common/events.js';
import type { RuleCategory } from '../../signatures/ir.js';
import type { VigieField } from '../../signatures/fields/vigie-fields.js';

type Setter = (e: Event, v: string | number) => void;

const ps = (e: Event): ProcessStart => (e.processStart ??= {});
const net = (e: Event): NetworkConnection => {
  const n = (e.network ??= {});
  n.direction = Direction.DIRECTION_OUTBOUND;
  return n;
};
const dns = (e: Event): DnsQuery => (e.dns ??= {});
const s = (v: string | number): string => String(v);
const n = (v: string | number): number => (typeof v === 'number' ? v : Number(v));

const SETTERS: Record<RuleCategory, Partial<Record<VigieField, Setter>>> = {
  process_creation: {
    'event.host': (e, v) => { e.host = s(v); },
    'process.image': (e, v) => { ps(e).image = s(v); },
    'process.pid': (e, v) => { ps(e).process = { ...ps(e).process, pid: n(v) }; },
    'process.user': (e, v) => { ps(e).user = s(v); },
    'process.command_line': (e, v) => { ps(e).commandLine = s(v); },
    'process.cwd': (e, v) => { ps(e).cwd = s(v); },
    'process.integrity_level': (e, v) => { ps(e).integrityLevel = s(v); },
    'process.hashes': (e, v) => { ps(e).hashes = s(v); },
    'process.guid': (e, v) => { ps(e).guid = s(v); },
    'process.logon_id': (e, v) => { ps(e).logonId = s(v); },
    'process.original_file_name': (e, v) => { ps(e).originalFileName = s(v); },
    'process.description': (e, v) => { ps(e).description = s(v); },
    'process.product': (e, v) => { ps(e).product = s(v); },
    'process.company': (e, v) => { ps(e).company = s(v); },
    'process.file_version': (e, v) => { ps(e).fileVersion = s(v); },
    'parent.image': (e, v) => { ps(e).parentImage = s(v); },
    'parent.command_line': (e, v) => { ps(e).parentCommandLine = s(v); },
    'parent.user': (e, v) => { ps(e).parentUser = s(v); },
    'parent.pid': (e, v) => { ps(e).parent = { ...ps(e).parent, pid: n(v) }; },
    'parent.guid': (e, v) => { ps(e).parentGuid = s(v); },
  },
  network_connection: {
    'event.host': (e, v) => { e.host = s(v); },
    'process.image': (e, v) => { net(e).image = s(v); },
    'process.pid': (e, v) => { net(e).process = { ...net(e).process, pid: n(v) }; },
    'process.user': (e, v) => { net(e).user = s(v); },
    'process.command_line': (e, v) => { net(e).commandLine = s(v); },
    'parent.image': (e, v) => { net(e).parentImage = s(v); },
    'network.source_ip': (e, v) => { net(e).localAddress = s(v); },
    'network.source_port': (e, v) => { net(e).localPort = n(v); },
    'network.destination_ip': (e, v) => { net(e).remoteAddress = s(v); },
    'network.destination_port': (e, v) => { net(e).remotePort = n(v); },
    'network.destination_hostname': (e, v) => { net(e).remoteHostname = s(v); },
  },
  dns_query: {
    'event.host': (e, v) => { e.host = s(v); },
    'process.image': (e, v) => { dns(e).image = s(v); },
    'process.pid': (e, v) => { dns(e).process = { ...dns(e).process, pid: n(v) }; },
    'dns.query_name': (e, v) => { dns(e).queryName = s(v); },
    'dns.query_results': (e, v) => { dns(e).answers = s(v); },
    'dns.query_status': (e, v) => { dns(e).status = n(v); },
  },
};

/** Writes `value` where the sensor reads `field` on `category` events; false when there is no such place. */
export function setField(e: Event, category: RuleCategory, field: VigieField, value: string | number): boolean {
  const set = SETTERS[category][field];
  if (!set) return false;
  set(e, value);
  return true;
}

export function settableFields(category: RuleCategory): VigieField[] {
  return Object.keys(SETTERS[category]) as VigieField[];
}

/** A bare event of `category` (what the fuzz starts from when the corpus has none). */
export function skeleton(category: RuleCategory): Event {
  const process = { pid: 4242, startTimeMs: 1_700_000_000_000 };
  const base = { timeMs: 1_700_000_000_000, host: 'fuzz-host' };
  if (category === 'process_creation') return { ...base, processStart: { process, parent: { pid: 1, startTimeMs: 1_600_000_000_000 }, image: '/usr/bin/true', commandLine: 'true' } };
  if (category === 'network_connection') return { ...base, network: { process, image: '/usr/bin/curl', direction: Direction.DIRECTION_OUTBOUND, localAddress: '10.0.0.2', localPort: 40000, remoteAddress: '93.184.216.34', remotePort: 443 } };
  return { ...base, dns: { process, image: '/usr/bin/curl', queryName: 'example.org', answers: '93.184.216.34', status: 0 } };
}
