/**
 * Shannon entropy of a string's characters (folded to 8 bits), shared by the command-line scans
 * and the DNS label features. The counts live in one module-level table with a bitmap of the
 * byte values present, cleared entry by entry after each string: a 20-character name does not
 * pay for clearing and scanning all 256 counts.
 */

const counts = new Uint32Array(256);
/** Bit b of present[b >> 5]: byte value b was counted since the last entropyOfCounts. */
const present = new Uint32Array(8);

/** Counts one character (folded to 8 bits). */
export function countChar(c: number): void {
  const b = c & 0xff;
  const k = counts[b]!;
  counts[b] = k + 1;
  if (k === 0) present[b >> 5]! |= 1 << (b & 31);
}

/**
 * Entropy in bits per character of the `n` characters counted by countChar since the last call;
 * clears the counts. Sums in increasing byte order, as a scan of all 256 counts would, so the
 * result is the same to the last bit.
 */
export function entropyOfCounts(n: number): number {
  let h = 0;
  for (let w = 0; w < 8; w++) {
    let bits = present[w]!;
    present[w] = 0;
    while (bits !== 0) {
      const low = bits & -bits;
      const b = (w << 5) + 31 - Math.clz32(low);
      bits ^= low;
      const p = counts[b]! / n;
      counts[b] = 0;
      h -= p * Math.log2(p);
    }
  }
  return h;
}
