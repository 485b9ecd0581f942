import { describe, expect, it } from 'vitest';
import { Direction, Protocol } from '../../../common/events.js';
import type { Event } from '../../../common/events.js';
import { EventView, FIELD_NAMES, categoryOf, fieldIdOf, readField, stringFieldsOf } from '../../../signatures/fields/event-view.js';
import { VIGIE_FIELDS } from '../../../signatures/fields/vigie-fields.js';
import type { VigieField } from '../../../signatures/fields/vigie-fields.js';

const start: Event = {
  host: 'WS-01',
  processStart: {
    process: { pid: 4242, startTimeMs: 1 },
    parent: { pid: 7, startTimeMs: 0 },
    image: 'C:\\Windows\\System32\\cmd.exe',
    commandLine: 'cmd.exe /c Whoami',
    cwd: 'C:\\Users\\Bob',
    user: 'CORP\\bob',
    parentImage: 'C:\\Windows\\explorer.exe',
    parentCommandLine: 'explorer.exe',
    integrityLevel: 'Medium',
    hashes: 'MD5=ABC',
    guid: '{g1}',
    parentGuid: '{g0}',
    logonId: '0x3e7',
    originalFileName: 'Cmd.Exe',
    description: 'Windows Command Processor',
    product: 'Microsoft Windows',
    company: 'Microsoft Corporation',
    fileVersion: '10.0',
    parentUser: 'CORP\\alice',
  },
};

function network(direction: number, over: Partial<NonNullable<Event['network']>> = {}): Event {
  return {
    host: 'h',
    network: {
      process: { pid: 9, startTimeMs: 0 },
      image: '/usr/bin/curl',
      direction,
      protocol: Protocol.PROTOCOL_TCP,
      localAddress: '10.0.0.5',
      localPort: 50000,
      remoteAddress: '93.184.216.34',
      remotePort: 443,
      remoteHostname: 'example.com',
      user: 'bob',
      commandLine: 'curl https://example.com',
      parentImage: '/bin/bash',
      ...over,
    },
  };
}

describe('categoryOf', () => {
  it('maps event kinds to rule categories', () => {
    expect(categoryOf(start)).toBe('process_creation');
    expect(categoryOf(network(Direction.DIRECTION_OUTBOUND))).toBe('network_connection');
    expect(categoryOf({ dns: { queryName: 'a' } })).toBe('dns_query');
    expect(categoryOf({ processExit: { image: 'x' } })).toBeUndefined();
    expect(categoryOf({})).toBeUndefined();
  });
});

describe('readField: process_creation', () => {
  it('reads every process field as stored', () => {
    const expected: Partial<Record<VigieField, string | number>> = {
      'event.host': 'WS-01',
      'process.image': 'C:\\Windows\\System32\\cmd.exe',
      'process.pid': 4242,
      'process.user': 'CORP\\bob',
      'process.command_line': 'cmd.exe /c Whoami',
      'process.cwd': 'C:\\Users\\Bob',
      'process.integrity_level': 'Medium',
      'process.hashes': 'MD5=ABC',
      'process.guid': '{g1}',
      'process.logon_id': '0x3e7',
      'process.original_file_name': 'Cmd.Exe',
      'process.description': 'Windows Command Processor',
      'process.product': 'Microsoft Windows',
      'process.company': 'Microsoft Corporation',
      'process.file_version': '10.0',
      'parent.image': 'C:\\Windows\\explorer.exe',
      'parent.command_line': 'explorer.exe',
      'parent.user': 'CORP\\alice',
      'parent.pid': 7,
      'parent.guid': '{g0}',
    };
    for (const [field, value] of Object.entries(expected)) expect(readField(start, field as VigieField), field).toBe(value);
  });

  it('reads fields of other categories as absent', () => {
    expect(readField(start, 'dns.query_name')).toBe('');
    expect(readField(start, 'network.destination_port')).toBeNaN();
  });

  it('reads an absent pid as NaN', () => {
    expect(readField({ processStart: { image: 'x' } }, 'process.pid')).toBeNaN();
    expect(readField({ processStart: { image: 'x', process: { pid: 0 } } }, 'parent.pid')).toBeNaN();
  });
});

describe('readField: network_connection', () => {
  it('outbound: source is local, destination remote, with its hostname', () => {
    const e = network(Direction.DIRECTION_OUTBOUND);
    expect(readField(e, 'network.initiated')).toBe('true');
    expect(readField(e, 'network.protocol')).toBe('tcp');
    expect(readField(e, 'network.source_ip')).toBe('10.0.0.5');
    expect(readField(e, 'network.source_port')).toBe(50000);
    expect(readField(e, 'network.destination_ip')).toBe('93.184.216.34');
    expect(readField(e, 'network.destination_port')).toBe(443);
    expect(readField(e, 'network.destination_hostname')).toBe('example.com');
    expect(readField(e, 'network.source_is_ipv6')).toBe('false');
    expect(readField(e, 'process.image')).toBe('/usr/bin/curl');
    expect(readField(e, 'process.pid')).toBe(9);
    expect(readField(e, 'process.user')).toBe('bob');
    expect(readField(e, 'process.command_line')).toBe('curl https://example.com');
    expect(readField(e, 'parent.image')).toBe('/bin/bash');
    expect(readField(e, 'event.host')).toBe('h');
  });

  it('inbound and listen: source is the remote side; no destination hostname', () => {
    for (const d of [Direction.DIRECTION_INBOUND, Direction.DIRECTION_LISTEN]) {
      const e = network(d);
      expect(readField(e, 'network.initiated')).toBe('false');
      expect(readField(e, 'network.source_ip')).toBe('93.184.216.34');
      expect(readField(e, 'network.source_port')).toBe(443);
      expect(readField(e, 'network.destination_ip')).toBe('10.0.0.5');
      expect(readField(e, 'network.destination_port')).toBe(50000);
      expect(readField(e, 'network.destination_hostname')).toBe('');
    }
  });

  it('unknown direction: source is local, initiated and protocol empty', () => {
    const e = network(Direction.DIRECTION_UNKNOWN, { protocol: Protocol.PROTOCOL_UNKNOWN });
    expect(readField(e, 'network.initiated')).toBe('');
    expect(readField(e, 'network.protocol')).toBe('');
    expect(readField(e, 'network.source_ip')).toBe('10.0.0.5');
    expect(readField(e, 'network.destination_hostname')).toBe('');
  });

  it('udp and IPv6', () => {
    const e = network(Direction.DIRECTION_OUTBOUND, { protocol: Protocol.PROTOCOL_UDP, remoteAddress: 'fe80::1' });
    expect(readField(e, 'network.protocol')).toBe('udp');
    expect(readField(e, 'network.destination_is_ipv6')).toBe('true');
    expect(readField(e, 'network.source_is_ipv6')).toBe('false');
  });
});

describe('readField: dns_query', () => {
  it('reads query, results, status (0 is present) and owner', () => {
    const e: Event = { host: 'h', dns: { process: { pid: 3 }, image: 'C:\\x.exe', queryName: 'Evil.COM', answers: '1.2.3.4;', status: 0 } };
    expect(readField(e, 'dns.query_name')).toBe('Evil.COM');
    expect(readField(e, 'dns.query_results')).toBe('1.2.3.4;');
    expect(readField(e, 'dns.query_status')).toBe(0);
    expect(readField(e, 'process.image')).toBe('C:\\x.exe');
    expect(readField(e, 'process.pid')).toBe(3);
  });
});

describe('EventView', () => {
  it('caches raw and lower-cased values per event and clears them on reset', () => {
    const v = new EventView();
    const cmd = fieldIdOf('process.command_line') as number;
    expect(v.reset(start)).toBe('process_creation');
    expect(v.raw(cmd)).toBe('cmd.exe /c Whoami');
    expect(v.lower(cmd)).toBe('cmd.exe /c whoami');
    const other: Event = { processStart: { commandLine: 'NEW' } };
    v.reset(other);
    expect(v.raw(cmd)).toBe('NEW');
    expect(v.lower(cmd)).toBe('new');
  });

  it('renders numbers in decimal for raw() and absent numbers as empty', () => {
    const v = new EventView();
    v.reset(start);
    expect(v.raw(fieldIdOf('process.pid') as number)).toBe('4242');
    expect(v.num(fieldIdOf('process.pid') as number)).toBe(4242);
    v.reset({ processStart: {} });
    expect(v.raw(fieldIdOf('process.pid') as number)).toBe('');
    expect(v.raw(fieldIdOf('process.image') as number)).toBe('');
  });

  it('lower-cases a field once per event', () => {
    let reads = 0;
    const e: Event = { processStart: {} };
    Object.defineProperty(e.processStart, 'commandLine', { get: () => (reads++, 'ABC') });
    const v = new EventView();
    v.reset(e);
    const cmd = fieldIdOf('process.command_line') as number;
    v.lower(cmd);
    v.lower(cmd);
    v.raw(cmd);
    expect(reads).toBe(1);
  });

  it('tells once per event whether a lower-cased value has non-ASCII characters', () => {
    const v = new EventView();
    const cmd = fieldIdOf('process.command_line') as number;
    v.reset({ processStart: { commandLine: 'cmd /c echo' } });
    expect(v.lowerHasNonAscii(cmd)).toBe(false);
    v.reset({ processStart: { commandLine: 'cmd /c echo 🦆' } });
    expect(v.lowerHasNonAscii(cmd)).toBe(true);
    v.reset({ processStart: { commandLine: '\u212a' } }); // the Kelvin sign lower-cases to "k"
    expect(v.lowerHasNonAscii(cmd)).toBe(false);
  });

  it('lists the string fields of each category', () => {
    const names = (ids: number[]) => ids.map((i) => FIELD_NAMES[i]);
    expect(names(stringFieldsOf('dns_query')).sort()).toEqual(['dns.query_name', 'dns.query_results', 'event.host', 'process.image']);
    for (const id of stringFieldsOf('process_creation')) expect(VIGIE_FIELDS[FIELD_NAMES[id] as VigieField].type).toBe('string');
  });
});
