/**
 * Pure rules of the network collector: which sockets listen, which way a connection goes, and
 * the keys that say whether a connection was already reported.
 */
import { Direction } from '../../../common/events.js';
import { TCP_LISTEN, decodeIpv4Hex, decodeIpv6Hex } from '../../proc/parse-net.js';
import type { SocketEntry, SocketRow, SocketTableName } from '../../proc/parse-net.js';

const UNSPECIFIED = new Set(['0.0.0.0', '::']);

/** A TCP socket in LISTEN, or a UDP socket with no peer (bound, "unconnected": a server). */
export function isListening(e: SocketEntry): boolean {
  if (e.protocol === 'tcp') return e.stateCode === TCP_LISTEN;
  return e.remotePort === 0 && UNSPECIFIED.has(e.remoteAddress);
}

const portKey = (protocol: string, port: number): string => `${protocol}/${port}`;

/**
 * The same rule as isListening on an undecoded row: the port key ("tcp/22") of a listening
 * socket, else undefined. Only unconnected-looking UDP rows (remote port 0) have an address
 * decoded, so the test costs next to nothing on the other rows.
 */
export function listeningPortKeyOfRow(row: SocketRow, table: SocketTableName): string | undefined {
  const space = row.ends.indexOf(' ');
  const localColon = row.ends.indexOf(':');
  if (space < 0 || localColon < 0 || localColon > space) return undefined;
  const tcp = table.startsWith('tcp');
  if (tcp) {
    if (parseInt(row.state, 16) !== TCP_LISTEN) return undefined;
  } else {
    const remote = row.ends.slice(space + 1);
    const colon = remote.indexOf(':');
    if (colon < 0 || parseInt(remote.slice(colon + 1), 16) !== 0) return undefined;
    const address = table.endsWith('6') ? decodeIpv6Hex(remote.slice(0, colon)) : decodeIpv4Hex(remote.slice(0, colon));
    if (address === undefined || !UNSPECIFIED.has(address)) return undefined;
  }
  const port = parseInt(row.ends.slice(localColon + 1, space), 16);
  return Number.isNaN(port) ? undefined : portKey(tcp ? 'tcp' : 'udp', port);
}

/** This host's listening ports, per protocol, from the current tables. */
export function listeningPorts(entries: Iterable<SocketEntry>): Set<string> {
  const ports = new Set<string>();
  for (const e of entries) if (isListening(e)) ports.add(portKey(e.protocol, e.localPort));
  return ports;
}

/**
 * LISTEN for listening sockets; INBOUND when the local port is one this host listens on (the
 * socket was accepted); OUTBOUND otherwise (an ephemeral local port: this host connected).
 */
export function directionOf(e: SocketEntry, listening: ReadonlySet<string>): number {
  if (isListening(e)) return Direction.DIRECTION_LISTEN;
  return listening.has(portKey(e.protocol, e.localPort)) ? Direction.DIRECTION_INBOUND : Direction.DIRECTION_OUTBOUND;
}

/**
 * The keys of an undecoded row: its tuple (table and both ends as printed) and its socket (the
 * tuple and the inode). They play the parts of tupleKey and connectionKey on every poll without
 * decoding a single address.
 */
export function rowKeys(row: SocketRow, table: SocketTableName): { tuple: string; socket: string } {
  const tuple = `${table}|${row.ends}`;
  return { tuple, socket: `${tuple}|${row.inode}` };
}

/** One socket: protocol, both ends and inode. */
export function connectionKey(e: SocketEntry): string {
  return `${tupleKey(e)}|${e.inode}`;
}

/**
 * Both ends without the inode. A closed TCP connection lingers in TIME_WAIT with inode 0: its
 * tuple tells that it is the end of a connection already reported, not a new one.
 */
export function tupleKey(e: SocketEntry): string {
  return `${e.protocol}|${e.localAddress}|${e.localPort}|${e.remoteAddress}|${e.remotePort}`;
}
