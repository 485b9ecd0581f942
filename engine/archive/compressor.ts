/**
 * Compression of archive records on a dedicated worker thread. The engine's main thread decodes,
 * enriches and acks; deflate (about 1 ms per 64 KiB batch of real telemetry at level 1) would be
 * its largest single cost. A worker costs the main thread one copy and one message per batch.
 * Results come back in submission order (one worker, FIFO), which the committer relies on only
 * for speed: it orders records itself.
 * The worker is inline (eval) so it runs the same from source (tests) and from dist/.
 */
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const zlib = require('node:zlib');
parentPort.on('message', (m) => {
  try {
    const body = zlib.deflateRawSync(m.payload, { level: m.level, chunkSize: 64 << 10 });
    const out = new Uint8Array(body.length);
    out.set(body);
    parentPort.postMessage({ id: m.id, body: out }, [out.buffer]);
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: String(e && e.message || e) });
  }
});
`;

type Callback = (err: Error | null, body?: Buffer) => void;

export class WorkerCompressor {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Callback>();
  private nextId = 1;
  private failed: Error | undefined;

  constructor(private readonly level: number) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, name: 'vigie-archive-deflate' });
    this.worker.on('message', (m: { id: number; body?: Uint8Array; error?: string }) => {
      const cb = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (this.pending.size === 0) this.worker.unref(); // idle: do not keep the process alive
      if (!cb) return;
      if (m.error !== undefined || !m.body) cb(new Error(m.error ?? 'no body'));
      else cb(null, Buffer.from(m.body.buffer, m.body.byteOffset, m.body.byteLength));
    });
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => { if (this.pending.size > 0) this.fail(new Error(`compression worker exited (${code})`)); });
    this.worker.unref();
  }

  /** Compresses a copy of `payload` (the caller keeps its buffer). */
  compress(payload: Uint8Array, cb: Callback): void {
    if (this.failed) return cb(this.failed);
    const id = this.nextId++;
    if (this.pending.size === 0) this.worker.ref(); // work in flight keeps the process alive
    this.pending.set(id, cb);
    const copy = new Uint8Array(payload); // a copy: Buffer#slice would share (and transfer) the caller's memory
    this.worker.postMessage({ id, payload: copy, level: this.level }, [copy.buffer]);
  }

  private fail(e: Error): void {
    this.failed = e;
    const callbacks = [...this.pending.values()];
    this.pending.clear();
    for (const cb of callbacks) cb(e);
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
