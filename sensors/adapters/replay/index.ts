/** Replaying recorded Sysmon logs (JSON lines or a JSON array, gzip or not). See ../README.md. */
export { readReplay, DEFAULT_CHUNK_SIZE } from './replay-reader.js';
export type { ReplayChunk, ReplayOptions, ReplayReader, ReplayStats } from './replay-reader.js';
export { listReplayHosts } from './hosts.js';
export type { ListHostsOptions, ReplayHost, ReplayHosts } from './hosts.js';
export { ReplayCollector, groupByHost, replayCollectorsByHost } from './replay-collector.js';
export type { HostCollectors, ReplayCollectorOptions } from './replay-collector.js';
export { Pacer, DEFAULT_MAX_GAP_MS } from './pacer.js';
export type { ReplaySpeed } from './pacer.js';
export { openLog } from './open-log.js';
export type { LogFormat, LogItem, OpenedLog, OpenLogOptions } from './open-log.js';
export { createArrayFramer, createLineFramer, DEFAULT_MAX_RECORD_CHARS } from './framing.js';
export type { Frame, Framer } from './framing.js';
