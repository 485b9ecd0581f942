/**
 * Case-insensitive comparisons without a lower- or upper-case copy. For ASCII strings folding
 * A-Z on the fly is exactly what toLowerCase/toUpperCase do; strings with other characters
 * (where case mapping can change the length or map to ASCII: U+0130, the Kelvin sign, the long s,
 * ligatures...) go through the copying functions, so the meaning never changes.
 */

/** True when every character of s is ASCII. */
export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return false;
  return true;
}

/** s[start, start + lower.length) equals `lower` (lower-case ASCII) with ASCII case folded. */
export function matchesLowerAt(s: string, start: number, lower: string): boolean {
  if (start < 0 || start + lower.length > s.length) return false;
  for (let k = 0; k < lower.length; k++) {
    let c = s.charCodeAt(start + k);
    if (c >= 65 && c <= 90) c |= 0x20;
    if (c !== lower.charCodeAt(k)) return false;
  }
  return true;
}

/** a.toLowerCase() === b.toLowerCase(), without the copies when both are ASCII. */
export function equalsIgnoringCase(a: string, b: string): boolean {
  if (a === b) return true;
  if (!isAscii(a) || !isAscii(b)) return a.toLowerCase() === b.toLowerCase();
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x >= 65 && x <= 90) x |= 0x20;
    if (y >= 65 && y <= 90) y |= 0x20;
    if (x !== y) return false;
  }
  return true;
}
