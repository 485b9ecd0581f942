/**
 * Bundles the engine serves to sensors, from one directory of files named by payload sha256
 * (`<sha256>.vbundle`, or `<sha256>` alone). The engine does not judge them: each sensor verifies
 * what it receives against its pinned root. A rollout sends one bundle to many sensors at once, so
 * the last few are kept in memory (bounded in count and bytes), and reads in flight are bounded:
 * beyond `maxReads`, a request is answered "busy" at once and the sensor asks again later.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fail, ok, type Result } from '../../common/errors.js';

const SHA256 = /^[0-9a-f]{64}$/;

export interface BundleDirectoryOptions {
  dir: string;
  /** Bundles kept in memory. */
  cacheEntries?: number;
  cacheBytes?: number;
  /** File reads in flight. */
  maxReads?: number;
}

export class BundleDirectory {
  private readonly cache = new Map<string, Uint8Array>();
  private cachedBytes = 0;
  private reads = 0;
  readonly counters = { served: 0, fromCache: 0, missing: 0, busy: 0, errors: 0 };

  constructor(private readonly o: BundleDirectoryOptions) {}

  async read(sha256: string): Promise<Result<Uint8Array>> {
    if (!SHA256.test(sha256)) {
      this.counters.errors++;
      return fail('VIGIE_BUNDLE_INVALID', `"${sha256.slice(0, 80)}" is not a sha256`, { field: 'sha256' });
    }
    const hit = this.cache.get(sha256);
    if (hit) {
      this.cache.delete(sha256); // most recently used last
      this.cache.set(sha256, hit);
      this.counters.served++;
      this.counters.fromCache++;
      return ok(hit);
    }
    if (this.reads >= (this.o.maxReads ?? 8)) {
      this.counters.busy++;
      return fail('VIGIE_UPDATER_IO', 'engine busy reading other bundles: ask again later', { field: sha256 });
    }
    this.reads++;
    try {
      for (const name of [`${sha256}.vbundle`, sha256]) {
        const got = await readFile(join(this.o.dir, name)).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? undefined : Promise.reject(e)));
        if (!got) continue;
        const bytes = new Uint8Array(got.buffer, got.byteOffset, got.byteLength);
        this.remember(sha256, bytes);
        this.counters.served++;
        return ok(bytes);
      }
      this.counters.missing++;
      return fail('VIGIE_BUNDLE_INVALID', `no bundle ${sha256.slice(0, 16)}... in the engine's bundle directory`, { file: this.o.dir });
    } catch (e) {
      this.counters.errors++;
      return fail('VIGIE_UPDATER_IO', `cannot read bundle: ${(e as Error).message}`, { file: this.o.dir });
    } finally {
      this.reads--;
    }
  }

  private remember(sha256: string, bytes: Uint8Array): void {
    const maxBytes = this.o.cacheBytes ?? 64 * 1024 * 1024;
    if (bytes.length > maxBytes) return;
    this.cache.set(sha256, bytes);
    this.cachedBytes += bytes.length;
    for (const [k, v] of this.cache) {
      if (this.cache.size <= (this.o.cacheEntries ?? 4) && this.cachedBytes <= maxBytes) break;
      this.cache.delete(k);
      this.cachedBytes -= v.length;
    }
  }
}
