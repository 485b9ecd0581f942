/** Network shape helpers: address scope and DNS names. Pure functions, tested on literals. */

/** Strips an IPv4-mapped IPv6 prefix ("::ffff:10.0.0.1" -> "10.0.0.1"). */
function unmapped(addr: string): string {
  return addr.startsWith('::ffff:') ? addr.slice(7) : addr;
}

/**
 * True for addresses routed on the internet: not private (RFC 1918, ULA), loopback, link-local,
 * CGNAT, multicast, unspecified or empty.
 */
export function isPublicAddress(address: string): boolean {
  const a = unmapped(address.toLowerCase());
  if (a === '' || a === '0.0.0.0' || a === '::' || a === '::1' || a === '*') return false;
  if (a.includes(':')) {
    return !(a.startsWith('fe8') || a.startsWith('fe9') || a.startsWith('fea') || a.startsWith('feb') ||
      a.startsWith('fc') || a.startsWith('fd') || a.startsWith('ff'));
  }
  const dot1 = a.indexOf('.');
  const o1 = Number(a.slice(0, dot1));
  const o2 = Number(a.slice(dot1 + 1, a.indexOf('.', dot1 + 1)));
  if (o1 === 10 || o1 === 127 || o1 === 0 || o1 >= 224) return false;
  if (o1 === 192 && o2 === 168) return false;
  if (o1 === 172 && o2 >= 16 && o2 <= 31) return false;
  if (o1 === 169 && o2 === 254) return false;
  if (o1 === 100 && o2 >= 64 && o2 <= 127) return false;
  return true;
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
  const label = name.slice(second + 1, last).toLowerCase();
  const short = label === 'co' || label === 'com' || label === 'org' || label === 'net' || label === 'gov' || label === 'ac' || label === 'gouv';
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
