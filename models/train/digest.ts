/**
 * The model card's trainingDataDigest: sha256 (hex) over the training rows, in order, as
 * little-endian float32. Hashing the numbers (not the source files) means two exports of the
 * same rows agree, and any change in feature extraction changes the digest.
 */
import { createHash } from 'node:crypto';
import { endianness } from 'node:os';

/** Rows are hashed in chunks so a 100k x 30 matrix is not copied whole on a big-endian host. */
export function trainingDataDigest(rows: Float32Array): string {
  const h = createHash('sha256');
  if (endianness() === 'LE') {
    h.update(new Uint8Array(rows.buffer, rows.byteOffset, rows.byteLength));
  } else {
    const chunk = 16_384;
    const buf = Buffer.alloc(chunk * 4);
    for (let i = 0; i < rows.length; i += chunk) {
      const m = Math.min(chunk, rows.length - i);
      for (let k = 0; k < m; k++) buf.writeFloatLE(rows[i + k]!, k * 4);
      h.update(buf.subarray(0, m * 4));
    }
  }
  return h.digest('hex');
}
