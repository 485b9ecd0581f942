/**
 * FNV-1a (32-bit) over parts of strings, without building the concatenated key. ASCII letters can
 * be folded to lower case on the fly (Windows paths and command-line switches are
 * case-insensitive) and digits folded to '0' (so "tmp4F21.ps1" and "tmp9A03.ps1" share a key).
 * No allocation.
 *
 * A string is hashed once (an image name once per distinct path, in image-info.ts; a command
 * line's tokens once per distinct line, in command-line-cache.ts) and keys are built from those
 * hashes with mixKey: "tenant | parent | image" is mixKey(mixKey(seed, parent), image), a few
 * multiplications where hashing the strings again for every key cost a pass over each.
 *
 * Hashes are 32-bit patterns held as signed 32-bit integers (what Math.imul and ^ give): V8 keeps
 * those as small integers, where unsigned values above 2^31 became heap-allocated numbers each
 * time one left a function (a third of extraction's allocation, by a sampling heap profile).
 */

export const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Separator mixed between the parts of a key, so ("ab","c") and ("a","bc") differ. */
const SEP = 0x1f;

/** Folding applied to characters while hashing. */
export const Fold = { NONE: 0, LOWER: 1, LOWER_DIGITS: 2 } as const;
export type Fold = (typeof Fold)[keyof typeof Fold];

/** Adds s[start, end) to hash h. */
export function fnvAdd(h: number, s: string, start = 0, end = s.length, fold: Fold = Fold.LOWER): number {
  for (let i = start; i < end; i++) {
    let c = s.charCodeAt(i);
    if (fold !== Fold.NONE) {
      if (c >= 65 && c <= 90) c |= 0x20;
      else if (fold === Fold.LOWER_DIGITS && c >= 49 && c <= 57) c = 48;
    }
    h = Math.imul(h ^ c, FNV_PRIME);
  }
  return Math.imul(h ^ SEP, FNV_PRIME);
}

/** Adds a number (ports, scope tags) to hash h. */
export function fnvAddNumber(h: number, n: number): number {
  h = Math.imul(h ^ (n & 0xff), FNV_PRIME);
  h = Math.imul(h ^ ((n >>> 8) & 0xff), FNV_PRIME);
  h = Math.imul(h ^ ((n >>> 16) & 0xff), FNV_PRIME);
  h = Math.imul(h ^ (n >>> 24), FNV_PRIME);
  return Math.imul(h ^ SEP, FNV_PRIME);
}

/**
 * A key from a seed (key kind and scope, or a key so far) and a 32-bit value (a string's hash, a
 * port). For a given seed it is a bijection of the value: two values never share a key.
 */
export function mixKey(seed: number, x: number): number {
  return fmix32(seed ^ Math.imul(x, 0xcc9e2d51));
}

/** murmur3's finaliser: a second, independent-looking hash derived from the first. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
