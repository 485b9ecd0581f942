/** The Sysmon adapter: Sysmon JSON records (Windows or Linux) to Vigie events. See ../README.md. */
export { SysmonEventId, SysmonTranslator } from './translate.js';
export type { SysmonTranslatorOptions, TranslateOutcome } from './translate.js';
export { ProcessRefs, guidStartMs } from './process-refs.js';
export type { ProcessRefsStats } from './process-refs.js';
export { readSysmonRecord } from './record.js';
export type { SysmonRecord } from './record.js';
export { labelOf } from './label.js';
export { parseUtcTime } from './fields.js';
export { readEventXml } from './event-xml.js';
export type { EventXml } from './event-xml.js';
