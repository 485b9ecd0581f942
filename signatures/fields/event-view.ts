/**
 * Reads Vigie fields (vigie-fields.ts) from an Event, fast. A field is named by its numeric id
 * (its position in VIGIE_FIELDS) so that compiled matchers index arrays instead of hashing names.
 *
 * `EventView` is the per-event reader the matcher reuses for every event of a batch: `reset(e)`
 * points it at an event, then `raw(f)` and `lower(f)` read a string field (each computed at most
 * once per event and cached: case-insensitive tests use the lower-cased form, `cased` tests and
 * regular expressions the raw one) and `num(f)` a number field.
 *
 * Absent values: strings are '' (as in proto3). Numbers are NaN when absent (pids and ports, which
 * are never 0 when present, read 0 on the wire), so that every numeric comparison with an absent
 * value is false without a test; `raw()` of an absent number is ''.
 *
 * Network fields follow Sysmon's convention: the source is the side that opened the connection.
 * Outbound: source = local, destination = remote. Inbound and listen: source = remote,
 * destination = local. Unknown direction: source = local.
 */
import { Direction, Protocol } from '../../common/events.js';
import type { DnsQuery, Event, NetworkConnection, ProcessStart } from '../../common/events.js';
import type { RuleCategory } from '../ir.js';
import { VIGIE_FIELDS, fieldApplies } from './vigie-fields.js';
import type { VigieField } from './vigie-fields.js';

/** Field names in id order: `FIELD_NAMES[id]`. */
export const FIELD_NAMES: readonly VigieField[] = Object.freeze(Object.keys(VIGIE_FIELDS) as VigieField[]);
export const FIELD_COUNT = FIELD_NAMES.length;
const IDS = new Map<string, number>(FIELD_NAMES.map((name, i) => [name, i]));

/** The numeric id of a field name, or undefined when it is not a Vigie field. */
export function fieldIdOf(name: string): number | undefined {
  return IDS.get(name);
}

export function isNumberField(id: number): boolean {
  const name = FIELD_NAMES[id];
  return name !== undefined && VIGIE_FIELDS[name].type === 'number';
}

export const CATEGORIES: readonly RuleCategory[] = Object.freeze(['process_creation', 'network_connection', 'dns_query']);

export function isRuleCategory(value: unknown): value is RuleCategory {
  return (CATEGORIES as readonly unknown[]).includes(value);
}

/** The rule category an event belongs to; undefined for kinds no rule applies to (process exit). */
export function categoryOf(e: Event): RuleCategory | undefined {
  if (e.processStart) return 'process_creation';
  if (e.network) return 'network_connection';
  if (e.dns) return 'dns_query';
  return undefined;
}

/** The string fields events of `category` carry, as ids (what a Sigma keyword is tested on). */
export function stringFieldsOf(category: RuleCategory): number[] {
  const ids: number[] = [];
  FIELD_NAMES.forEach((name, id) => {
    if (VIGIE_FIELDS[name].type === 'string' && fieldApplies(name, category)) ids.push(id);
  });
  return ids;
}

/** Reads one string field of an event ('' when absent). */
export type StringReader = (e: Event) => string;
type NumberReader = (e: Event) => number;

const str = (v: string | null | undefined): string => v ?? '';
/** Pids and ports: 0 means absent. */
const nonZero = (v: number | null | undefined): number => (v ? v : NaN);

const ps = (e: Event): ProcessStart => e.processStart ?? {};
const net = (e: Event): NetworkConnection => e.network ?? {};
const dns = (e: Event): DnsQuery => e.dns ?? {};

const outbound = (n: NetworkConnection): boolean => n.direction === Direction.DIRECTION_OUTBOUND;
/** Whether the remote side opened the connection (Sysmon's source is then the remote side). */
const remoteOpened = (n: NetworkConnection): boolean =>
  n.direction === Direction.DIRECTION_INBOUND || n.direction === Direction.DIRECTION_LISTEN;
const sourceIp = (n: NetworkConnection): string => str(remoteOpened(n) ? n.remoteAddress : n.localAddress);
const destinationIp = (n: NetworkConnection): string => str(remoteOpened(n) ? n.localAddress : n.remoteAddress);
const isV6 = (address: string): string => (address.includes(':') ? 'true' : 'false');

const STRING_READERS: Record<RuleCategory, Partial<Record<VigieField, StringReader>>> = {
  process_creation: {
    'event.host': (e) => str(e.host),
    'process.image': (e) => str(ps(e).image),
    'process.user': (e) => str(ps(e).user),
    'process.command_line': (e) => str(ps(e).commandLine),
    'process.cwd': (e) => str(ps(e).cwd),
    'process.integrity_level': (e) => str(ps(e).integrityLevel),
    'process.hashes': (e) => str(ps(e).hashes),
    'process.guid': (e) => str(ps(e).guid),
    'process.logon_id': (e) => str(ps(e).logonId),
    'process.original_file_name': (e) => str(ps(e).originalFileName),
    'process.description': (e) => str(ps(e).description),
    'process.product': (e) => str(ps(e).product),
    'process.company': (e) => str(ps(e).company),
    'process.file_version': (e) => str(ps(e).fileVersion),
    'parent.image': (e) => str(ps(e).parentImage),
    'parent.command_line': (e) => str(ps(e).parentCommandLine),
    'parent.user': (e) => str(ps(e).parentUser),
    'parent.guid': (e) => str(ps(e).parentGuid),
  },
  network_connection: {
    'event.host': (e) => str(e.host),
    'process.image': (e) => str(net(e).image),
    'process.user': (e) => str(net(e).user),
    'process.command_line': (e) => str(net(e).commandLine),
    'parent.image': (e) => str(net(e).parentImage),
    'network.initiated': (e) => {
      const n = net(e);
      return outbound(n) ? 'true' : remoteOpened(n) ? 'false' : '';
    },
    'network.protocol': (e) => {
      const p = net(e).protocol;
      return p === Protocol.PROTOCOL_TCP ? 'tcp' : p === Protocol.PROTOCOL_UDP ? 'udp' : '';
    },
    'network.source_ip': (e) => sourceIp(net(e)),
    'network.source_is_ipv6': (e) => isV6(sourceIp(net(e))),
    'network.destination_ip': (e) => destinationIp(net(e)),
    'network.destination_is_ipv6': (e) => isV6(destinationIp(net(e))),
    'network.destination_hostname': (e) => {
      const n = net(e);
      return outbound(n) ? str(n.remoteHostname) : '';
    },
  },
  dns_query: {
    'event.host': (e) => str(e.host),
    'process.image': (e) => str(dns(e).image),
    'dns.query_name': (e) => str(dns(e).queryName),
    'dns.query_results': (e) => str(dns(e).answers),
  },
};

const NUMBER_READERS: Record<RuleCategory, Partial<Record<VigieField, NumberReader>>> = {
  process_creation: {
    'process.pid': (e) => nonZero(ps(e).process?.pid),
    'parent.pid': (e) => nonZero(ps(e).parent?.pid),
  },
  network_connection: {
    'process.pid': (e) => nonZero(net(e).process?.pid),
    'network.source_port': (e) => {
      const n = net(e);
      return nonZero(remoteOpened(n) ? n.remotePort : n.localPort);
    },
    'network.destination_port': (e) => {
      const n = net(e);
      return nonZero(remoteOpened(n) ? n.localPort : n.remotePort);
    },
  },
  dns_query: {
    'process.pid': (e) => nonZero(dns(e).process?.pid),
    // A status is always present on a DNS event: 0 is success, not absence.
    'dns.query_status': (e) => dns(e).status ?? 0,
  },
};

const absentString: StringReader = () => '';
const absentNumber: NumberReader = () => NaN;

interface Readers {
  strings: readonly StringReader[];
  numbers: readonly NumberReader[];
}

/** Per category, one reader per field id; number fields also get a string reader (decimal). */
function readersFor(category: RuleCategory | undefined): Readers {
  const strings: StringReader[] = [];
  const numbers: NumberReader[] = [];
  for (const name of FIELD_NAMES) {
    const numberReader = (category && NUMBER_READERS[category][name]) ?? absentNumber;
    numbers.push(numberReader);
    if (VIGIE_FIELDS[name].type === 'number') {
      strings.push((e) => {
        const n = numberReader(e);
        return Number.isNaN(n) ? '' : String(n);
      });
    } else {
      strings.push((category && STRING_READERS[category][name]) ?? absentString);
    }
  }
  return { strings: Object.freeze(strings), numbers: Object.freeze(numbers) };
}

const READERS: Readonly<Record<RuleCategory, Readers>> = Object.freeze({
  process_creation: readersFor('process_creation'),
  network_connection: readersFor('network_connection'),
  dns_query: readersFor('dns_query'),
});
const NO_READERS = readersFor(undefined);

/** The string readers of `category`'s events, by field id: reading without a view (batch scans). */
export function stringReadersOf(category: RuleCategory): readonly StringReader[] {
  return READERS[category].strings;
}

/** Reads one field of one event (the slow path: tests, tools). */
export function readField(e: Event, field: VigieField): string | number {
  const id = IDS.get(field) as number;
  const category = categoryOf(e);
  const readers = category ? READERS[category] : NO_READERS;
  return VIGIE_FIELDS[field].type === 'number' ? (readers.numbers[id] as NumberReader)(e) : (readers.strings[id] as StringReader)(e);
}

const EMPTY_EVENT: Event = {};
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * A reusable view of one event at a time. Not thread-safe and not reentrant: one per matcher.
 * The caches are plain arrays indexed by field id and cleared on `reset`.
 */
export class EventView {
  event: Event = EMPTY_EVENT;
  category: RuleCategory | undefined = undefined;
  private strings: readonly StringReader[] = NO_READERS.strings;
  private numbers: readonly NumberReader[] = NO_READERS.numbers;
  private readonly rawCache: (string | undefined)[] = new Array<string | undefined>(FIELD_COUNT).fill(undefined);
  private readonly lowerCache: (string | undefined)[] = new Array<string | undefined>(FIELD_COUNT).fill(undefined);
  /** Per field: 0 not yet known, 1 the lower-cased value is ASCII, 2 it is not. */
  private readonly asciiCache = new Uint8Array(FIELD_COUNT);

  /** Points the view at `e` and returns its category. */
  reset(e: Event): RuleCategory | undefined {
    return this.resetAs(e, categoryOf(e));
  }

  /** `reset` when the caller already knows the event's category. */
  resetAs(e: Event, category: RuleCategory | undefined): RuleCategory | undefined {
    this.event = e;
    this.category = category;
    const readers = category ? READERS[category] : NO_READERS;
    this.strings = readers.strings;
    this.numbers = readers.numbers;
    this.rawCache.fill(undefined);
    this.lowerCache.fill(undefined);
    this.asciiCache.fill(0);
    return category;
  }

  /** The field's value as stored ('' when absent; numbers in decimal). */
  raw(f: number): string {
    let v = this.rawCache[f];
    if (v === undefined) {
      v = (this.strings[f] as StringReader)(this.event);
      this.rawCache[f] = v;
    }
    return v;
  }

  /** The field's value lower-cased, computed once per event. */
  lower(f: number): string {
    let v = this.lowerCache[f];
    if (v === undefined) {
      v = this.raw(f).toLowerCase();
      this.lowerCache[f] = v;
    }
    return v;
  }

  /**
   * Whether the lower-cased value has a character beyond ASCII, once per event: the rules that
   * look for emoji, lookalike letters or Unicode dashes all ask it of the command line first.
   */
  lowerHasNonAscii(f: number): boolean {
    let known = this.asciiCache[f];
    if (known === 0) {
      known = NON_ASCII.test(this.lower(f)) ? 2 : 1;
      this.asciiCache[f] = known;
    }
    return known === 2;
  }

  /** A number field's value; NaN when absent. */
  num(f: number): number {
    return (this.numbers[f] as NumberReader)(this.event);
  }
}
