/**
 * The processes one sensor reported within a window, read from the raw-batch archive: process
 * starts (with parent, command line, user), exits, and each process's network peers and DNS
 * names. Everything is bounded (batches read, processes kept, peers per process) and says when a
 * bound cut it; damaged records and batches that do not decode are counted, not fatal.
 */
import type { VigieProblem } from '../../common/errors.js';
import { processKey, type Event } from '../../common/events.js';
import { decodeBatch } from '../../common/wire/frames.js';
import type { RecordWindowSource } from '../archive/index.js';
import type { ContextWindow } from './context-window.js';
import { peerOf } from './process-tree.js';

export interface ArchivedProcess {
  key: string;
  pid: number;
  startTimeMs: number;
  /** Parent's process key, '0:0' when the start named none. */
  parentKey: string;
  image: string;
  commandLine: string;
  user: string;
  exitTimeMs: number | null;
  peers: string[];
  /** False when only an exit or a connection named it: its start is outside the window. */
  started: boolean;
}

export interface CollectLimits {
  /** Batches decoded at most (default 5,000: about 2.5 million events of a busy host). */
  maxBatches: number;
  /** Distinct processes kept at most (default 20,000). */
  maxProcesses: number;
  /** Peers kept per process (default 20). */
  maxPeers: number;
}

export const COLLECT_DEFAULTS: CollectLimits = { maxBatches: 5000, maxProcesses: 20_000, maxPeers: 20 };

export interface ArchivedWindow {
  processes: Map<string, ArchivedProcess>;
  batches: number;
  events: number;
  /** A bound was reached: the context may miss processes. */
  truncated: string | null;
  /** Damaged records and undecodable batches (the first few kept). */
  problems: VigieProblem[];
  damaged: number;
}

const MAX_PROBLEMS = 5;

export async function collectWindow(source: RecordWindowSource, sensorId: string, tenant: string, w: ContextWindow, limits: CollectLimits = COLLECT_DEFAULTS): Promise<ArchivedWindow> {
  const out: ArchivedWindow = { processes: new Map(), batches: 0, events: 0, truncated: null, problems: [], damaged: 0 };
  const problem = (p: VigieProblem): void => {
    out.damaged++;
    if (out.problems.length < MAX_PROBLEMS) out.problems.push(p);
  };
  const { fromMs, toMs } = w.events;
  const get = (key: string, pid: number, startTimeMs: number): ArchivedProcess | undefined => {
    let p = out.processes.get(key);
    if (p) return p;
    if (out.processes.size >= limits.maxProcesses) {
      out.truncated ??= `more than ${limits.maxProcesses} processes in the window`;
      return undefined;
    }
    p = { key, pid, startTimeMs, parentKey: '0:0', image: '', commandLine: '', user: '', exitTimeMs: null, peers: [], started: false };
    out.processes.set(key, p);
    return p;
  };
  for await (const { payload } of source.window({ sensorId, tenant, fromMs: w.received.fromMs, toMs: w.received.toMs }, problem)) {
    if (out.batches >= limits.maxBatches) {
      out.truncated ??= `more than ${limits.maxBatches} batches in the window`;
      break;
    }
    out.batches++;
    const batch = decodeBatch(payload);
    if (!batch.ok) {
      problem(batch.error);
      continue;
    }
    for (const e of batch.value.events as Event[]) {
      const t = Number(e.timeMs ?? 0);
      if (t < fromMs || t > toMs) continue;
      out.events++;
      apply(e, t, get, limits.maxPeers);
    }
  }
  return out;
}

type Get = (key: string, pid: number, startTimeMs: number) => ArchivedProcess | undefined;

function apply(e: Event, t: number, get: Get, maxPeers: number): void {
  const start = e.processStart;
  if (start) {
    const pid = start.process?.pid ?? 0;
    const p = get(processKey(start.process), pid, Number(start.process?.startTimeMs ?? t));
    if (!p) return;
    p.started = true;
    p.parentKey = processKey(start.parent);
    p.image = start.image ?? '';
    p.commandLine = start.commandLine ?? '';
    p.user = start.user ?? '';
    return;
  }
  const exit = e.processExit;
  if (exit) {
    const p = get(processKey(exit.process), exit.process?.pid ?? 0, Number(exit.process?.startTimeMs ?? 0));
    if (p) {
      p.exitTimeMs = t;
      if (!p.image && exit.image) p.image = exit.image;
    }
    return;
  }
  const owner = e.network?.process ?? e.dns?.process;
  if (!owner || !owner.pid) return; // a socket that maps to no process
  const peer = peerOf(e as unknown as Record<string, unknown>);
  const p = get(processKey(owner), owner.pid, Number(owner.startTimeMs ?? 0));
  if (!p) return;
  if (!p.image) p.image = e.network?.image ?? e.dns?.image ?? '';
  if (!p.commandLine && e.network?.commandLine) p.commandLine = e.network.commandLine;
  if (!p.user && e.network?.user) p.user = e.network.user;
  if (peer && p.peers.length < maxPeers && !p.peers.includes(peer)) p.peers.push(peer);
}
