/** Network shape helpers: address scope and DNS names. Pure functions, tested on literals. */
import { matchesLowerAt } from './fold-case.js';

/** Strips an IPv4-mapped IPv6 prefix ("::ffff:10.0.0.1" -> "10.0.0.1"). */
function unmapped(addr: string): string {
  return addr.startsWith('::ffff:') ? addr.slice(7) : addr;
}

/**
 * True for addresses routed on the internet: not private (RFC 1918, ULA), loopback, link-local,
 * CGNAT, multicast, unspecified or empty.
 */
export function isPublicAddress(address: string): boolean {
  // fast path, no copies: a plain dotted IPv4 address (digits and at least two dots)
  let o1 = 0;
  let o2 = 0;
  let dots = 0;
  let digits = 0;
  for (let i = 0; i < address.length; i++) {
    const c = address.charCodeAt(i);
    if (c === 46) {
      if (digits === 0) return isPublicAddressSlow(address);
      dots++;
      digits = 0;
    } else if (c >= 48 && c <= 57 && digits < 9) {
      if (dots === 0) o1 = o1 * 10 + c - 48;
      else if (dots === 1) o2 = o2 * 10 + c - 48;
      digits++;
    } else return isPublicAddressSlow(address);
  }
  if (dots < 2 || digits === 0) return isPublicAddressSlow(address);
  return isPublicV4(o1, o2);
}

function isPublicV4(o1: number, o2: number): boolean {
  if (o1 === 10 || o1 === 127 || o1 === 0 || o1 >= 224) return false;
  if (o1 === 192 && o2 === 168) return false;
  if (o1 === 172 && o2 >= 16 && o2 <= 31) return false;
  if (o1 === 169 && o2 === 254) return false;
  if (o1 === 100 && o2 >= 64 && o2 <= 127) return false;
  return true;
}

function isPublicAddressSlow(address: string): boolean {
  const a = unmapped(address.toLowerCase());
  if (a === '' || a === '0.0.0.0' || a === '::' || a === '::1' || a === '*') return false;
  if (a.includes(':')) {
    return !(a.startsWith('fe8') || a.startsWith('fe9') || a.startsWith('fea') || a.startsWith('feb') ||
      a.startsWith('fc') || a.startsWith('fd') || a.startsWith('ff'));
  }
  const dot1 = a.indexOf('.');
  return isPublicV4(Number(a.slice(0, dot1)), Number(a.slice(dot1 + 1, a.indexOf('.', dot1 + 1))));
}

/**
 * Index where the registered domain starts: the last two labels ("a.b.example.com" ->
 * "example.com"), three when the second-to-last is a short public suffix label ("x.co.uk").
 * A name without dots starts at 0.
 */
export function registeredDomainStart(name: string): number {
  let end = name.length;
  if (name.charCodeAt(end - 1) === 46) end--; // trailing dot
  const last = name.lastIndexOf('.', end - 1);
  if (last <= 0) return 0;
  const second = name.lastIndexOf('.', last - 1);
  if (second < 0) return 0;
  const from = second + 1;
  const n = last - from;
  const short = n === 2 ? matchesLowerAt(name, from, 'co') || matchesLowerAt(name, from, 'ac')
    : n === 3 ? matchesLowerAt(name, from, 'com') || matchesLowerAt(name, from, 'org') || matchesLowerAt(name, from, 'net') || matchesLowerAt(name, from, 'gov')
    : n === 4 && matchesLowerAt(name, from, 'gouv');
  if (!short || end - last > 3) return second + 1;
  const third = name.lastIndexOf('.', second - 1);
  return third + 1;
}

/** Start of the longest label of a DNS name (ties: the first); its end is labelEnd(name, start). */
export function longestLabelStart(name: string): number {
  let best = 0;
  let bestLen = -1;
  let from = 0;
  for (let i = 0; i <= name.length; i++) {
    if (i === name.length || name.charCodeAt(i) === 46) {
      if (i - from > bestLen) {
        best = from;
        bestLen = i - from;
      }
      from = i + 1;
    }
  }
  return best;
}

/** End (exclusive) of the label starting at `start`. */
export function labelEnd(name: string, start: number): number {
  const dot = name.indexOf('.', start);
  return dot < 0 ? name.length : dot;
}
