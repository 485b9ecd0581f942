/**
 * Compression of archive records on a small pool of worker threads. The engine's main thread
 * runs ingest and acks; compression (brotli quality 0: about 0.5 µs per event of real telemetry)
 * would be one of its largest costs. A worker costs the main thread one copy and one message per
 * batch. A worker that dies fails what it held (those appends are not acked and are re-sent) and
 * is replaced.
 * Results may come back out of submission order; the committer orders records itself.
 * The worker is inline (eval) so it runs the same from source (tests) and from dist/.
 */
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const zlib = require('node:zlib');
parentPort.on('message', (m) => {
  try {
    const body = zlib.brotliCompressSync(m.payload, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: m.level, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: m.payload.length } });
    const out = new Uint8Array(body.length);
    out.set(body);
    parentPort.postMessage({ id: m.id, body: out }, [out.buffer]);
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: String(e && e.message || e) });
  }
});
`;

type Callback = (err: Error | null, body?: Buffer) => void;

class CompressionWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Callback>();
  private nextId = 1;
  failed: Error | undefined;

  constructor(private readonly level: number) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, name: 'vigie-archive-compress' });
    this.worker.on('message', (m: { id: number; body?: Uint8Array; error?: string }) => {
      const cb = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (this.pending.size === 0) this.worker.unref(); // idle: do not keep the process alive
      if (!cb) return;
      if (m.error !== undefined || !m.body) cb(new Error(m.error ?? 'no body'));
      else cb(null, Buffer.from(m.body.buffer, m.body.byteOffset, m.body.byteLength));
    });
    this.worker.on('error', (e) => this.fail(e));
    // An exit at any time (idle too) retires this worker: messages to it would never be answered.
    this.worker.on('exit', (code) => this.fail(this.failed ?? new Error(`compression worker exited (${code})`)));
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
    this.failed ??= e;
    const callbacks = [...this.pending.values()];
    this.pending.clear();
    for (const cb of callbacks) cb(e);
  }

  get load(): number {
    return this.pending.size;
  }

  async close(): Promise<void> {
    this.failed ??= new Error('compression worker closed');
    await this.worker.terminate();
  }
}

/**
 * A small pool of compression workers (default 2: this machine class has 2 cores, and the main
 * thread is not always busy). Each record goes to the least loaded worker.
 */
export class WorkerCompressor {
  private readonly workers: CompressionWorker[];
  /** Workers replaced after they died. */
  replaced = 0;

  constructor(private readonly level: number, workers = 2) {
    this.workers = Array.from({ length: Math.max(1, workers) }, () => new CompressionWorker(level));
  }

  compress(payload: Uint8Array, cb: Callback): void {
    for (let i = 0; i < this.workers.length; i++) {
      if (this.workers[i]!.failed) {
        this.workers[i] = new CompressionWorker(this.level);
        this.replaced++;
      }
    }
    let best = this.workers[0]!;
    for (const w of this.workers) if (w.load < best.load) best = w;
    best.compress(payload, cb);
  }

  /** For tests: terminates one worker as if it had crashed. */
  async killOne(): Promise<void> {
    await this.workers[0]!.close();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
  }
}
