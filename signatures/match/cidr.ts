/**
 * `|cidr` matching. Addresses are parsed here, once per test and value, into numbers (IPv4) and
 * BigInts (IPv6); no string comparison of addresses. An IPv4 network also matches the IPv4-mapped
 * IPv6 form of its addresses (::ffff:10.1.2.3), which dual-stack sockets report.
 */

export type IpAddress = { v6: false; value: number } | { v6: true; value: bigint };

export interface Cidr {
  v6: boolean;
  /** The network address, host bits cleared. */
  network: number | bigint;
  bits: number;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const HEXTET = /^[0-9a-f]{1,4}$/i;

export function parseIpv4(s: string): number | undefined {
  const m = IPV4.exec(s);
  if (!m) return undefined;
  let value = 0;
  for (let i = 1; i <= 4; i++) {
    const octet = Number(m[i]);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

function parseHextets(part: string): number[] | undefined {
  if (part === '') return [];
  const out: number[] = [];
  const groups = part.split(':');
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i] as string;
    if (i === groups.length - 1 && g.includes('.')) {
      const v4 = parseIpv4(g);
      if (v4 === undefined) return undefined;
      out.push(Math.floor(v4 / 65536), v4 % 65536);
    } else {
      if (!HEXTET.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
  }
  return out;
}

/** Parses an IPv6 address (with `::`, an embedded IPv4 tail and a `%zone`, which is ignored). */
export function parseIpv6(s: string): bigint | undefined {
  const zone = s.indexOf('%');
  const text = zone >= 0 ? s.slice(0, zone) : s;
  const gap = text.indexOf('::');
  let hextets: number[];
  if (gap >= 0) {
    if (text.indexOf('::', gap + 1) >= 0) return undefined;
    const head = parseHextets(text.slice(0, gap));
    const tail = parseHextets(text.slice(gap + 2));
    if (!head || !tail || head.length + tail.length > 7) return undefined;
    hextets = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    const all = parseHextets(text);
    if (!all || all.length !== 8) return undefined;
    hextets = all;
  }
  let value = 0n;
  for (const h of hextets) value = (value << 16n) | BigInt(h);
  return value;
}

export function parseIp(s: string): IpAddress | undefined {
  if (s.includes(':')) {
    const value = parseIpv6(s);
    return value === undefined ? undefined : { v6: true, value };
  }
  const value = parseIpv4(s);
  return value === undefined ? undefined : { v6: false, value };
}

/** Parses "a.b.c.d/n" or "x::/n" (a bare address is a /32 or /128). */
export function parseCidr(s: string): Cidr | undefined {
  const slash = s.indexOf('/');
  const address = parseIp((slash >= 0 ? s.slice(0, slash) : s).trim());
  if (!address) return undefined;
  const max = address.v6 ? 128 : 32;
  let bits = max;
  if (slash >= 0) {
    const text = s.slice(slash + 1).trim();
    if (!/^\d{1,3}$/.test(text)) return undefined;
    bits = Number(text);
    if (bits > max) return undefined;
  }
  if (address.v6) {
    const mask = bits === 0 ? 0n : ((1n << BigInt(bits)) - 1n) << BigInt(128 - bits);
    return { v6: true, network: address.value & mask, bits };
  }
  const size = 2 ** (32 - bits);
  return { v6: false, network: address.value - (address.value % size), bits };
}


/** A predicate over address strings; unparsable strings never match. */
export function cidrMatcher(cidr: Cidr): (address: string) => boolean {
  if (cidr.v6) {
    const shift = BigInt(128 - cidr.bits);
    const network = (cidr.network as bigint) >> shift;
    return (s) => {
      if (!s.includes(':')) return false;
      const a = parseIpv6(s);
      return a !== undefined && a >> shift === network;
    };
  }
  const size = 2 ** (32 - cidr.bits);
  const network = cidr.network as number;
  const inV4 = (a: number): boolean => a - (a % size) === network;
  return (s) => {
    if (!s.includes(':')) {
      const a = parseIpv4(s);
      return a !== undefined && inV4(a);
    }
    const a = parseIpv6(s);
    // IPv4-mapped: ::ffff:a.b.c.d, i.e. the upper 96 bits are 0...0ffff.
    if (a === undefined || a >> 32n !== 0xffffn) return false;
    return inV4(Number(a & 0xffffffffn));
  };
}
