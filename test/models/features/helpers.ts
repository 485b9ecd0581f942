/** Hand-built events for the feature tests. */
import type { Event } from '../../../common/events.js';
import { Direction, Protocol } from '../../../common/events.js';

export const T0 = Date.UTC(2025, 0, 6, 10, 0, 0); // Monday 10:00 UTC

let nextPid = 1000;

export interface StartSpec {
  image: string;
  parentImage: string;
  commandLine?: string;
  user?: string;
  parentPid?: number;
  parentStart?: number;
  pid?: number;
  timeMs?: number;
  integrityLevel?: string;
  hashes?: string;
  originalFileName?: string;
}

export function start(s: StartSpec): Event {
  const t = s.timeMs ?? T0;
  const pid = s.pid ?? nextPid++;
  return {
    timeMs: t,
    host: 'ws1',
    processStart: {
      process: { pid, startTimeMs: t },
      parent: { pid: s.parentPid ?? 1, startTimeMs: s.parentStart ?? 0 },
      image: s.image,
      parentImage: s.parentImage,
      commandLine: s.commandLine ?? s.image,
      user: s.user ?? 'TOWN\\alice',
      integrityLevel: s.integrityLevel ?? 'Medium',
      hashes: s.hashes ?? '',
      originalFileName: s.originalFileName ?? '',
    },
  };
}

export function connect(pid: number, startMs: number, timeMs: number, remote: string, port = 443, image = 'C:\\Windows\\System32\\rundll32.exe'): Event {
  return {
    timeMs,
    host: 'ws1',
    network: {
      process: { pid, startTimeMs: startMs },
      image,
      direction: Direction.DIRECTION_OUTBOUND,
      protocol: Protocol.PROTOCOL_TCP,
      localAddress: '10.1.2.3',
      localPort: 50000 + (timeMs % 1000),
      remoteAddress: remote,
      remotePort: port,
      bytesSent: 300,
      bytesReceived: 1200,
    },
  };
}

export function dns(pid: number, startMs: number, timeMs: number, name: string, status = 0): Event {
  return { timeMs, host: 'ws1', dns: { process: { pid, startTimeMs: startMs }, image: 'C:\\Windows\\System32\\rundll32.exe', queryName: name, status } };
}

export function exit(pid: number, startMs: number, timeMs: number): Event {
  return { timeMs, host: 'ws1', processExit: { process: { pid, startTimeMs: startMs } } };
}

/** A deterministic PRNG (mulberry32) for jittered and random intervals. */
export { createPrng as rng } from '../../../models/train/prng.js';
