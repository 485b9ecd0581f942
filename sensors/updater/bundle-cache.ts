/**
 * The sensor's local copies of bundles it verified, named by payload sha256. The directory cache
 * checks the digest on every read: a copy damaged on disk is dropped and reported, never loaded.
 * The memory cache is for the fleet simulation and tests (no I/O).
 */
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fail, ok, type Result } from '../../common/errors.js';
import { BUNDLE_EXTENSION, decodeBundle } from '../../rollout/bundle/index.js';
import type { BundleCache } from './types.js';

const SHA256 = /^[0-9a-f]{64}$/;

export class MemoryBundleCache implements BundleCache {
  private readonly bundles = new Map<string, Uint8Array>();

  get(sha256: string): Result<Uint8Array | undefined> {
    return ok(this.bundles.get(sha256));
  }

  put(sha256: string, bytes: Uint8Array): Result<void> {
    this.bundles.set(sha256, bytes);
    return ok(undefined);
  }

  retain(keep: ReadonlySet<string>): void {
    for (const sha of this.bundles.keys()) if (!keep.has(sha)) this.bundles.delete(sha);
  }

  get size(): number {
    return this.bundles.size;
  }
}

/** Files `<sha256>.vbundle` in one directory (the sensor's state dir), written atomically. */
export class DirBundleCache implements BundleCache {
  constructor(readonly dir: string) {}

  private path(sha256: string): string {
    return join(this.dir, `${sha256}${BUNDLE_EXTENSION}`);
  }

  get(sha256: string): Result<Uint8Array | undefined> {
    if (!SHA256.test(sha256)) return fail('VIGIE_BUNDLE_INVALID', `"${sha256}" is not a sha256`, { field: 'sha256' });
    const file = this.path(sha256);
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return ok(undefined);
      return fail('VIGIE_UPDATER_IO', `cannot read cached bundle: ${(e as Error).message}`, { file });
    }
    const decoded = decodeBundle(bytes, file);
    const digest = decoded.ok ? createHash('sha256').update(decoded.value.payload).digest('hex') : '';
    if (digest !== sha256) {
      rmSync(file, { force: true });
      if (!decoded.ok) return decoded;
      return fail('VIGIE_BUNDLE_DIGEST', `cached bundle payload hashes to ${digest.slice(0, 16)}..., not its name: dropped`, { file });
    }
    return ok(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }

  put(sha256: string, bytes: Uint8Array): Result<void> {
    if (!SHA256.test(sha256)) return fail('VIGIE_BUNDLE_INVALID', `"${sha256}" is not a sha256`, { field: 'sha256' });
    const file = this.path(sha256);
    const tmp = `${file}.tmp-${process.pid}`;
    try {
      mkdirSync(this.dir, { recursive: true });
      const fd = openSync(tmp, 'w');
      try {
        writeSync(fd, bytes);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, file);
      return ok(undefined);
    } catch (e) {
      rmSync(tmp, { force: true });
      return fail('VIGIE_UPDATER_IO', `cannot write cached bundle: ${(e as Error).message}`, { file });
    }
  }

  retain(keep: ReadonlySet<string>): void {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return; // no directory yet: nothing to drop
    }
    for (const name of names) {
      if (!name.endsWith(BUNDLE_EXTENSION)) continue;
      const sha = name.slice(0, -BUNDLE_EXTENSION.length);
      if (SHA256.test(sha) && !keep.has(sha)) rmSync(join(this.dir, name), { force: true });
    }
  }
}
