/**
 * Vigie's in-memory telemetry types: the protobuf messages of proto/vigie/v1, as plain objects.
 * Everything a collector emits and the engine consumes is one of these.
 */
import { vigie } from '../proto/gen/vigie.js';

export type Event = vigie.v1.IEvent;
export type ProcessStart = vigie.v1.IProcessStart;
export type ProcessExit = vigie.v1.IProcessExit;
export type NetworkConnection = vigie.v1.INetworkConnection;
export type DnsQuery = vigie.v1.IDnsQuery;
export type ProcessRef = vigie.v1.IProcessRef;
export type TelemetryBatch = vigie.v1.ITelemetryBatch;
export type Heartbeat = vigie.v1.IHeartbeat;
export type Ack = vigie.v1.IAck;

export const Source = vigie.v1.Source;
export const Direction = vigie.v1.Direction;
export const Protocol = vigie.v1.Protocol;
export const AckStatus = vigie.v1.AckStatus;

/** The identity of a process across pid reuse. */
export function processKey(ref: ProcessRef | null | undefined): string {
  return ref ? `${ref.pid ?? 0}:${ref.startTimeMs ?? 0}` : '0:0';
}

export type EventKind = 'process_start' | 'process_exit' | 'network' | 'dns';

export function eventKind(e: Event): EventKind | undefined {
  if (e.processStart) return 'process_start';
  if (e.processExit) return 'process_exit';
  if (e.network) return 'network';
  if (e.dns) return 'dns';
  return undefined;
}
