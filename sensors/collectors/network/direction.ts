/**
 * Pure rules of the network collector: which sockets listen, which way a connection goes, and
 * the keys that say whether a connection was already reported.
 */
import { Direction } from '../../../common/events.js';
import { TCP_LISTEN } from '../../proc/parse-net.js';
import type { SocketEntry } from '../../proc/parse-net.js';

const UNSPECIFIED = new Set(['0.0.0.0', '::']);

/** A TCP socket in LISTEN, or a UDP socket with no peer (bound, "unconnected": a server). */
export function isListening(e: SocketEntry): boolean {
  if (e.protocol === 'tcp') return e.stateCode === TCP_LISTEN;
  return e.remotePort === 0 && UNSPECIFIED.has(e.remoteAddress);
}

const portKey = (protocol: string, port: number): string => `${protocol}/${port}`;

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
