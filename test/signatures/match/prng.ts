/** A small seeded PRNG (mulberry32) for reproducible random tests. */
export { createPrng as mulberry32 } from '../../../models/train/prng.js';
