/**
 * One builder per supported Sysmon event id: EventData fields in, the Vigie event's payload out.
 * Pure apart from the ProcessRefs map they consult and fill. A builder fails (with the field to
 * blame) only for what makes the event meaningless or a value that is present but malformed;
 * absent optional fields become Vigie's defaults ("" and 0).
 */
import { Direction, Protocol } from '../../../common/events.js';
import type { DnsQuery, NetworkConnection, ProcessExit, ProcessRef, ProcessStart } from '../../../common/events.js';
import type { Fields } from './fields.js';
import { INVALID, bool, text, uint } from './fields.js';
import type { ProcessRefs } from './process-refs.js';

export type Built<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

const bad = <T>(field: string, message: string): Built<T> => ({ ok: false, field, message });

/** Reads ProcessGuid/ProcessId (or the Parent* pair); `required` demands at least one of them. */
function identity(
  f: Fields,
  guidField: string,
  pidField: string,
  required: boolean,
): Built<{ guid: string | undefined; pid: number | undefined }> {
  const guid = text(f, guidField);
  const pid = uint(f, pidField);
  if (pid === INVALID) return bad(pidField, `${pidField} is not a process id`);
  if (required && guid === undefined && pid === undefined) {
    return bad(guidField, `neither ${guidField} nor ${pidField} is present`);
  }
  return { ok: true, value: { guid, pid } };
}

function resolveOwner(refs: ProcessRefs, f: Fields, timeMs: number, required: boolean): Built<ProcessRef> {
  const id = identity(f, 'ProcessGuid', 'ProcessId', required);
  if (!id.ok) return id;
  return { ok: true, value: refs.resolve(id.value.guid, id.value.pid, timeMs) };
}

/** Linux Sysmon writes "no level"; Vigie's integrity level is empty off Windows. */
function integrityLevel(f: Fields): string {
  const v = text(f, 'IntegrityLevel') ?? '';
  return v.toLowerCase() === 'no level' ? '' : v;
}

/** EID 1. `timeMs` is the event's UtcTime: the moment the process was created. */
export function buildProcessStart(f: Fields, timeMs: number, refs: ProcessRefs): Built<ProcessStart> {
  const own = identity(f, 'ProcessGuid', 'ProcessId', true);
  if (!own.ok) return own;
  const image = text(f, 'Image');
  if (image === undefined) return bad('Image', 'process create without Image');
  const parentId = identity(f, 'ParentProcessGuid', 'ParentProcessId', false);
  if (!parentId.ok) return parentId;

  const process = refs.define(own.value.guid, own.value.pid ?? 0, timeMs);
  const { guid: parentGuid, pid: parentPid } = parentId.value;
  const start: ProcessStart = {
    process,
    image,
    commandLine: text(f, 'CommandLine') ?? '',
    cwd: text(f, 'CurrentDirectory') ?? '',
    user: text(f, 'User') ?? '',
    parentImage: text(f, 'ParentImage') ?? '',
    parentCommandLine: text(f, 'ParentCommandLine') ?? '',
    integrityLevel: integrityLevel(f),
    hashes: text(f, 'Hashes') ?? '',
    guid: own.value.guid ?? '',
    parentGuid: parentGuid ?? '',
    logonId: text(f, 'LogonId') ?? '',
    originalFileName: text(f, 'OriginalFileName') ?? '',
    description: text(f, 'Description') ?? '',
    product: text(f, 'Product') ?? '',
    company: text(f, 'Company') ?? '',
    fileVersion: text(f, 'FileVersion') ?? '',
    parentUser: text(f, 'ParentUser') ?? '',
  };
  if (parentGuid !== undefined || parentPid !== undefined) start.parent = refs.resolve(parentGuid, parentPid, timeMs);
  return { ok: true, value: start };
}

/** EID 5. Sysmon reports no exit code: it stays 0. */
export function buildProcessExit(f: Fields, timeMs: number, refs: ProcessRefs): Built<ProcessExit> {
  const process = resolveOwner(refs, f, timeMs, true);
  if (!process.ok) return process;
  return { ok: true, value: { process: process.value, image: text(f, 'Image') ?? '', exitCode: 0 } };
}

function protocolOf(f: Fields): number {
  const p = text(f, 'Protocol')?.toLowerCase();
  if (p === 'tcp' || p === '6') return Protocol.PROTOCOL_TCP;
  if (p === 'udp' || p === '17') return Protocol.PROTOCOL_UDP;
  return Protocol.PROTOCOL_UNKNOWN;
}

function port(f: Fields, name: string): Built<number> {
  const v = uint(f, name);
  if (v === INVALID || (v !== undefined && v > 65_535)) return bad(name, `${name} is not a port number`);
  return { ok: true, value: v ?? 0 };
}

/**
 * EID 3. Sysmon's Source is the side that opened the connection and `Initiated` says whether this
 * process did: Initiated=true is outbound (local = Source), false is inbound (local = Destination).
 * Without Initiated the direction is unknown and Source is taken as local.
 */
export function buildNetwork(f: Fields, timeMs: number, refs: ProcessRefs): Built<NetworkConnection> {
  const sourceIp = text(f, 'SourceIp');
  if (sourceIp === undefined) return bad('SourceIp', 'network connection without SourceIp');
  const destinationIp = text(f, 'DestinationIp');
  if (destinationIp === undefined) return bad('DestinationIp', 'network connection without DestinationIp');
  const sourcePort = port(f, 'SourcePort');
  if (!sourcePort.ok) return sourcePort;
  const destinationPort = port(f, 'DestinationPort');
  if (!destinationPort.ok) return destinationPort;
  const process = resolveOwner(refs, f, timeMs, false);
  if (!process.ok) return process;

  const initiated = bool(f, 'Initiated');
  const inbound = initiated === false;
  const source = { address: sourceIp, port: sourcePort.value, hostname: text(f, 'SourceHostname') ?? '' };
  const destination = { address: destinationIp, port: destinationPort.value, hostname: text(f, 'DestinationHostname') ?? '' };
  const local = inbound ? destination : source;
  const remote = inbound ? source : destination;
  return {
    ok: true,
    value: {
      process: process.value,
      image: text(f, 'Image') ?? '',
      direction:
        initiated === undefined ? Direction.DIRECTION_UNKNOWN : inbound ? Direction.DIRECTION_INBOUND : Direction.DIRECTION_OUTBOUND,
      protocol: protocolOf(f),
      localAddress: local.address,
      localPort: local.port,
      remoteAddress: remote.address,
      remotePort: remote.port,
      remoteHostname: remote.hostname,
      user: text(f, 'User') ?? '',
    },
  };
}

/** EID 22. Sysmon gives no query type; QueryResults is kept as Sysmon renders it. */
export function buildDns(f: Fields, timeMs: number, refs: ProcessRefs): Built<DnsQuery> {
  const queryName = text(f, 'QueryName');
  if (queryName === undefined) return bad('QueryName', 'DNS query without QueryName');
  const status = uint(f, 'QueryStatus');
  if (status === INVALID) return bad('QueryStatus', 'QueryStatus is not a status code');
  const process = resolveOwner(refs, f, timeMs, false);
  if (!process.ok) return process;
  return {
    ok: true,
    value: {
      process: process.value,
      image: text(f, 'Image') ?? '',
      queryName,
      queryType: '',
      answers: text(f, 'QueryResults') ?? '',
      status: status ?? 0,
    },
  };
}
