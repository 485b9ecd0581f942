/** The network collector: connections from the kernel's socket tables, mapped to processes. */
export { NetworkCollector } from './network-collector.js';
export type { NetworkCollectorStats } from './network-collector.js';
export type { NetworkCollectorOptions } from './options.js';
export { connectionKey, directionOf, isListening, listeningPorts, tupleKey } from './direction.js';
