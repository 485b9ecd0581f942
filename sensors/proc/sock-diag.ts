/**
 * The kernel's socket tables from NETLINK_SOCK_DIAG (the native addon's diagDump(), see
 * sensors/native/vigie_sockdiag.c), rendered as the lines of /proc/net/{tcp,tcp6,udp,udp6}, so the
 * network collector's one text path (scanSocketRows, parseSocketLine, its seen-set keys) serves
 * both sources and a socket has the same key whichever reported it.
 *
 * Why: reading /proc/net/tcp walks every bucket of the TCP hash table, sized by the host's memory
 * (262,144 buckets on this 24 GiB VM): 1.7 ms of kernel time per read() whatever the number of
 * sockets, two reads per readFileSync. A dump of the same sockets costs about 0.27 ms. The
 * collector polls every second, so this was most of an idle agent's CPU.
 *
 * Rendering follows the kernel's format (net/ipv4/tcp_ipv4.c get_tcp4_sock, tcp6 likewise):
 * each 32-bit word of an address as %08X of the word as the CPU holds it, ports and state as
 * %04X and %02X, then uid and inode in their columns. The columns the collector does not read
 * (queues, timers) are zeros.
 */
import { endianness } from 'node:os';
import { fail, ok, type Result } from '../../common/errors.js';
import { loadNetlinkAddon } from '../collectors/process/netlink-addon.js';
import type { SocketTableName } from './parse-net.js';

const AF_INET = 2;
const AF_INET6 = 10;
const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;

/** Record layout of diagDump() (vigie_sockdiag.c). */
const R = { family: 0, state: 1, uid: 4, inode: 8, sport: 12, dport: 14, src: 16, dst: 32 } as const;

export type DiagDump = (family: number, protocol: number) => Buffer;

const HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
const LITTLE = endianness() === 'LE';

const hex = (n: number, width: number) => n.toString(16).toUpperCase().padStart(width, '0');

function address(b: Buffer, at: number, words: number): string {
  let s = '';
  for (let w = 0; w < words; w++) s += hex(LITTLE ? b.readUInt32LE(at + 4 * w) : b.readUInt32BE(at + 4 * w), 8);
  return s;
}

/** The records of one dump as the text of the matching /proc/net table (header included). */
export function renderSocketTable(records: Buffer, recordSize: number, ipv6: boolean): string {
  const words = ipv6 ? 4 : 1;
  let text = HEADER;
  for (let at = 0, sl = 0; at + recordSize <= records.length; at += recordSize, sl++) {
    const local = `${address(records, at + R.src, words)}:${hex(records.readUInt16BE(at + R.sport), 4)}`;
    const remote = `${address(records, at + R.dst, words)}:${hex(records.readUInt16BE(at + R.dport), 4)}`;
    text += `${String(sl).padStart(4)}: ${local} ${remote} ${hex(records[at + R.state]!, 2)} 00000000:00000000 00:00000000 00000000 ` +
      `${String(records.readUInt32LE(at + R.uid)).padStart(5)}        0 ${records.readUInt32LE(at + R.inode)}\n`;
  }
  return text;
}

/** Which dump each table is: address family and IP protocol. */
export type SockDiagWhich = Readonly<Record<SocketTableName, { family: number; protocol: number }>>;

export const SOCK_DIAG_TABLES: SockDiagWhich = {
  tcp: { family: AF_INET, protocol: IPPROTO_TCP },
  tcp6: { family: AF_INET6, protocol: IPPROTO_TCP },
  udp: { family: AF_INET, protocol: IPPROTO_UDP },
  udp6: { family: AF_INET6, protocol: IPPROTO_UDP },
};

export class SockDiagTables {
  private constructor(private readonly dump: DiagDump, private readonly recordSize: number, private readonly which: SockDiagWhich) {}

  /**
   * Available when the native addon is built with diagDump() (Linux). `which` is for tests: a
   * table pointed at a protocol the kernel has no diag handler for fails as a missing module does.
   */
  static open(which: SockDiagWhich = SOCK_DIAG_TABLES): Result<SockDiagTables> {
    const addon = loadNetlinkAddon();
    if (!addon.ok) return addon;
    const { diagDump, diagRecordSize } = addon.value;
    if (typeof diagDump !== 'function' || typeof diagRecordSize !== 'number') {
      return fail('VIGIE_NETLINK_UNAVAILABLE', 'the native addon predates diagDump (rebuild it: npm run build:native)');
    }
    return ok(new SockDiagTables(diagDump, diagRecordSize, which));
  }

  /**
   * One table's sockets as /proc text, and a name for problems. VIGIE_NETLINK_UNAVAILABLE with
   * `errno` ENOENT when the kernel has no diag module for the protocol (read /proc instead).
   */
  text(table: SocketTableName): Result<{ text: string; file: string }> & { errno?: string } {
    const file = `sock_diag:${table}`;
    const { family, protocol } = this.which[table];
    try {
      return ok({ text: renderSocketTable(this.dump(family, protocol), this.recordSize, family === AF_INET6), file });
    } catch (e) {
      const errno = (e as NodeJS.ErrnoException).code ?? 'EIO';
      return { ...fail('VIGIE_NETLINK_UNAVAILABLE', `${(e as Error).message}`, { file }), errno };
    }
  }
}
