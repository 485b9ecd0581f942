/**
 * A small seeded PRNG for everything training shuffles or samples. Math.random is never used:
 * the same rows and seed must give bit-identical weights.
 */

/** mulberry32: 32-bit state, uniform floats in [0, 1). Plenty for shuffling and seeds. */
export function createPrng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher-Yates in place with the given PRNG; returns the same array. */
export function shuffleInPlace<T extends { length: number; [i: number]: number }>(a: T, rand: () => number): T {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
  return a;
}

/** 0..n-1 in a seeded random order. */
export function permutation(n: number, rand: () => number): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  return shuffleInPlace(p, rand);
}

/** A fresh 31-bit integer seed (for tfjs initialisers, which take a number seed). */
export function nextSeed(rand: () => number): number {
  return Math.floor(rand() * 0x7fffffff);
}
