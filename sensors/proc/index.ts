/** Reading the host's /proc: one I/O module (ProcReader) and pure parsers. */
export { ProcReader } from './proc-reader.js';
export type { ProcReaderOptions } from './proc-reader.js';
export { UserNames } from './user-names.js';
export type { UserNamesOptions } from './user-names.js';
export {
  CLK_TCK, PF_KTHREAD, ageMs, isKernelThread, joinCmdline, parseBootTimeMs, parseCmdline, parseStat,
  parseStatus, parseUptimeMs, startTimeMs,
} from './parse-process.js';
export type { ProcStat, ProcStatus } from './parse-process.js';
export {
  SOCKET_TABLES, TCP_LISTEN, TCP_TIME_WAIT, decodeIpv4Hex, decodeIpv6Hex, formatIpv6,
  parseSocketTable, socketInodeOf, tcpStateName,
} from './parse-net.js';
export type { SocketEntry, SocketTable, SocketTableName } from './parse-net.js';
export { parsePasswd } from './parse-passwd.js';
