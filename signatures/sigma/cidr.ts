/**
 * `|cidr` values: an IPv4 or IPv6 network. A bare address is the network of that one address
 * (/32 or /128), as Python's ipaddress.ip_network reads it.
 */
import { isIPv4, isIPv6 } from 'node:net';

export type CidrResult = { ok: true; cidr: string } | { ok: false; message: string };

export function parseCidr(text: string): CidrResult {
  const value = text.trim();
  const slash = value.indexOf('/');
  const address = slash < 0 ? value : value.slice(0, slash);
  const v4 = isIPv4(address);
  if (!v4 && !isIPv6(address)) return { ok: false, message: `'${text}' is not an IPv4 or IPv6 network` };
  const max = v4 ? 32 : 128;
  if (slash < 0) return { ok: true, cidr: `${address}/${max}` };
  const prefixText = value.slice(slash + 1);
  const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= max)) return { ok: false, message: `'${text}' has an invalid prefix length (0 to ${max})` };
  return { ok: true, cidr: `${address}/${prefix}` };
}
