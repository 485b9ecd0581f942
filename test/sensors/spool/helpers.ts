/** Temp directories, deterministic payloads and an unwrapping open() for the spool tests. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Spool, type SpoolOptions } from '../../../sensors/spool/index.js';

export function tempDir(label: string): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `vigie-spool-${label}-`));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function openOk(options: SpoolOptions): Spool {
  const r = Spool.open(options);
  if (!r.ok) throw new Error(`open failed: ${r.error.code} ${r.error.message}`);
  return r.value;
}

/** A payload whose bytes are a function of (seq, length): integrity is checked without keeping it. */
export function payloadFor(seq: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = (seq * 2654435761) >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

export function appendOk(spool: Spool, events: number, length: number): number {
  const seq = spool.nextSeq();
  const r = spool.append(events, payloadFor(seq, length));
  if (!r.ok) throw new Error(`append failed: ${r.error.code} ${r.error.message}`);
  return r.value.seq;
}

export function segmentFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((n) => n.startsWith('seg-')).sort();
}

export function diskBytes(dir: string): number {
  return segmentFiles(dir).reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
}

/** appended = acked + dropped + unacked, for batches and events. */
export function identityHolds(spool: Spool): boolean {
  const c = spool.counters();
  const s = spool.stats();
  return c.appendedBatches === c.ackedBatches + c.droppedBatches + s.unackedBatches
    && c.appendedEvents === c.ackedEvents + c.droppedEvents + s.unackedEvents;
}

/** A small seeded PRNG (mulberry32) so a failing random sequence can be replayed. */
export { createPrng as rng } from '../../../models/train/prng.js';

/**
 * Simulates the agent process dying: the spool object is abandoned without close(), and the file
 * descriptors it held under `dir` are closed as the kernel would. Linux (/proc/self/fd) only.
 */
export function crash(dir: string): void {
  const real = fs.realpathSync(dir);
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    let target: string;
    try {
      target = fs.readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      continue;
    }
    if (target.startsWith(`${real}/`)) fs.closeSync(Number(fd));
  }
}
