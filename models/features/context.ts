/**
 * Row contexts: what an explanation may name. A process row's context is rebuilt from its event
 * (processRowContext, or FeatureExtractor.processContext which adds what the extractor remembers);
 * a network row's context is produced with the row, since the window it summarises is gone after.
 */
import type { Event } from '../../common/events.js';
import { basename } from './image-path.js';

export interface ProcessRowContext {
  readonly tenant: string;
  readonly host: string;
  readonly timeMs: number;
  /** File names in lower case ("powershell.exe"); '' when unknown. */
  readonly image: string;
  readonly parentImage: string;
  readonly grandparentImage: string;
  /** Full image path as reported. */
  readonly imagePath: string;
  readonly commandLine: string;
  readonly user: string;
  readonly parentUser: string;
  readonly integrityLevel: string;
  readonly originalFileName: string;
  /** Depth of the process in the remembered tree (1: parent unknown). 0 when not known here. */
  readonly depth: number;
  /** The command-line token that was rarest for this image, '' when not known here. */
  readonly rarestToken: string;
}

export interface NetworkRowContext {
  readonly tenant: string;
  readonly host: string;
  /** File name in lower case. */
  readonly image: string;
  /** "pid:startTimeMs" of the process. */
  readonly processKey: string;
  readonly startMs: number;
  readonly endMs: number;
  /** Why the window closed: it timed out, the process exited, or the extractor was drained or full. */
  readonly closedBy: 'time' | 'exit' | 'drain' | 'evicted';
  readonly connections: number;
  readonly dnsQueries: number;
  /** The peer with the most connections, and how many. */
  readonly topPeer: string;
  readonly topPeerConnections: number;
  /** Mean interval between connections to the top peer, ms (0 with fewer than 2). */
  readonly meanIntervalMs: number;
  readonly rarestDestination: string;
  readonly rarestPort: number;
  readonly newDestination: string;
  readonly rarestDomain: string;
  readonly longestDnsName: string;
}

/** A process row's context from its event alone (no depth, grandparent nor rarest token). */
export function processRowContext(tenant: string, host: string, event: Event, extra: Partial<ProcessRowContext> = {}): ProcessRowContext {
  const s = event.processStart ?? {};
  return {
    tenant,
    host,
    timeMs: Number(event.timeMs ?? 0),
    image: basename(s.image ?? ''),
    parentImage: basename(s.parentImage ?? ''),
    grandparentImage: '',
    imagePath: s.image ?? '',
    commandLine: s.commandLine ?? '',
    user: s.user ?? '',
    parentUser: s.parentUser ?? '',
    integrityLevel: s.integrityLevel ?? '',
    originalFileName: s.originalFileName ?? '',
    depth: 0,
    rarestToken: '',
    ...extra,
  };
}
