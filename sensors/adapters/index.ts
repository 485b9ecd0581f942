/**
 * Adapters: other sensors' output turned into Vigie events. Sysmon (Windows and Linux) records,
 * and the replay of recorded Sysmon logs as a Collector. See README.md for the field mapping.
 */
export * from './sysmon/index.js';
export * from './replay/index.js';
