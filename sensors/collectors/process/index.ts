/** The process collector: exec and exit from the kernel's process-events connector or /proc. */
export { ProcessCollector } from './process-collector.js';
export type { ProcessCollectorOptions } from './options.js';
export type { ProcessCollectorStats } from './stats.js';
export { findAddon, loadNetlinkAddon } from './netlink-addon.js';
export type { NetlinkAddon, NetlinkHandle } from './netlink-addon.js';
export { EXIT_CODE_UNKNOWN } from './process-events.js';
