/**
 * The sensor's side of signature matching. The pack runs in a worker thread (pack-worker.ts)
 * with a memory limit; each batch has a time budget. A pack that throws, runs out of memory or
 * blows its budget is unloaded: the host records a ContentFailure (reported in heartbeats), goes
 * back to its last-known-good pack (the last one that matched `provenBatches` batches without
 * failing), retries the batch once with it, and carries on. Without a good pack, batches go out
 * unmatched (counted): telemetry never waits on content.
 *
 * A new pack is built beside the running one and swapped in only when it loaded (STYLE.md §15).
 * One host serves every agent of a process (the simulated fleet shares one); requests are
 * answered in order, one at a time, and at most `queueMax` wait (overflow: sent unmatched).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ErrorCode, VigieProblem } from '../../common/errors.js';
import type { Logger } from '../../common/log.js';
import type { SignaturePack } from '../../signatures/pack/format.js';
import type { vigie } from '../../proto/gen/vigie.js';
import type { FromPackWorker, ToPackWorker } from './protocol.js';

export interface SignatureHostOptions {
  /** Time budget per batch, ms. */
  budgetMs: number;
  /** Old-generation heap limit of the worker, MB. */
  memoryMb: number;
  /** Batches a pack must match without failing to become the last-known-good. */
  provenBatches: number;
  /** Requests that may wait; beyond, batches are sent unmatched. */
  queueMax: number;
  /** How long a pack may take to load (compile its rules), ms. */
  loadTimeoutMs: number;
  log: Logger;
}

export const SIGNATURE_HOST_DEFAULTS = { budgetMs: 1000, memoryMb: 128, provenBatches: 20, queueMax: 1024, loadTimeoutMs: 30_000 } as const;

export type MatchOutcome =
  | { matched: true; version: string; hits: vigie.v1.ISignatureHit[] }
  | { matched: false; reason: 'no-pack' | 'overloaded' | 'failed' };

export interface ContentFailure {
  kind: 'signatures';
  version: string;
  code: ErrorCode;
  message: string;
  atMs: number;
  fallbackVersion: string;
}

interface Request { events: Uint8Array; resolve: (o: MatchOutcome) => void; retried: boolean }

interface Running { worker: Worker; pack: SignaturePack; good: number }

const MAX_FAILURES_KEPT = 10;

function workerPath(): string {
  const here = new URL(import.meta.url);
  const url = here.pathname.endsWith('.ts') ? new URL('../../dist/sensors/signatures/pack-worker.js', here) : new URL('./pack-worker.js', here);
  return fileURLToPath(url);
}

export class SignatureHost {
  private running: Running | undefined;
  private lkg: SignaturePack | undefined;
  private readonly queue: Request[] = [];
  private inFlight: { id: number; req: Request; timer: NodeJS.Timeout } | undefined;
  private nextId = 1;
  private switching: Promise<unknown> | undefined;
  private closed = false;
  readonly failures: ContentFailure[] = [];
  readonly counters = { batches: 0, hits: 0, unmatchedBatches: 0, failuresTotal: 0 };

  private constructor(private readonly o: SignatureHostOptions) {}

  /** Starts with `pack` (or none); a pack that does not load leaves the host without one, reported. */
  static async start(pack: SignaturePack | undefined, options: Partial<SignatureHostOptions> & { log: Logger }): Promise<SignatureHost> {
    const host = new SignatureHost({ ...SIGNATURE_HOST_DEFAULTS, ...options });
    if (pack) await host.load(pack);
    return host;
  }

  get version(): string {
    return this.running?.pack.version ?? '';
  }

  /** The pack running now. */
  get pack(): SignaturePack | undefined {
    return this.running?.pack;
  }

  get lastKnownGood(): string {
    return this.lkg?.version ?? '';
  }

  /** Loads `pack` beside the running one and swaps; on failure the running pack stays. */
  async load(pack: SignaturePack): Promise<{ ok: true } | { ok: false; problems: VigieProblem[] }> {
    const started = this.spawn(pack);
    this.switching = started;
    const outcome = await started;
    this.switching = undefined;
    if (!outcome.ok) {
      this.recordFailure(pack.version, outcome.problems[0]?.code ?? 'VIGIE_PACK_INVALID', outcome.problems.map((p) => p.message).join('; '));
      this.pump();
      return outcome;
    }
    const previous = this.running;
    this.running = { worker: outcome.worker, pack, good: 0 };
    if (previous && previous.good >= this.o.provenBatches) this.lkg = previous.pack;
    if (previous) void previous.worker.terminate();
    this.o.log.info('signature pack loaded', { name: pack.name, version: pack.version, rules: pack.rules.length });
    this.pump();
    return { ok: true };
  }

  /** Matches one batch's encoded events. Never rejects. */
  match(events: Uint8Array): Promise<MatchOutcome> {
    if (this.closed || (!this.running && !this.switching)) {
      this.counters.unmatchedBatches++;
      return Promise.resolve({ matched: false, reason: 'no-pack' });
    }
    if (this.queue.length >= this.o.queueMax) {
      this.counters.unmatchedBatches++;
      return Promise.resolve({ matched: false, reason: 'overloaded' });
    }
    return new Promise((resolve) => {
      this.queue.push({ events, resolve, retried: false });
      this.pump();
    });
  }

  private pump(): void {
    if (this.inFlight || this.switching) return;
    const req = this.queue.shift();
    if (!req) return;
    const running = this.running;
    if (!running) {
      this.counters.unmatchedBatches++;
      req.resolve({ matched: false, reason: 'no-pack' });
      return this.pump();
    }
    const id = this.nextId++;
    const timer = setTimeout(() => void this.fail(running, 'VIGIE_PACK_FAILED', `batch took longer than its ${this.o.budgetMs} ms budget`), this.o.budgetMs);
    this.inFlight = { id, req, timer };
    const copy = new Uint8Array(req.events); // the caller keeps its bytes
    running.worker.postMessage({ t: 'match', id, events: copy } satisfies ToPackWorker, [copy.buffer]);
  }

  private onMessage(running: Running, m: FromPackWorker): void {
    if (running !== this.running || !this.inFlight) return;
    if (m.t === 'match-failed') return void this.fail(running, 'VIGIE_PACK_FAILED', `pack threw: ${m.message}`);
    if (m.t !== 'hits' || m.id !== this.inFlight.id) return;
    const { req, timer } = this.inFlight;
    clearTimeout(timer);
    this.inFlight = undefined;
    running.good++;
    if (running.good === this.o.provenBatches) this.lkg = running.pack;
    const rules = running.pack.rules;
    const hits: vigie.v1.ISignatureHit[] = [];
    for (let i = 0; i < m.pairs.length; i += 2) {
      const rule = rules[m.pairs[i]!];
      if (!rule) continue;
      hits.push({ ruleId: rule.id, eventIndex: m.pairs[i + 1]!, title: rule.title, level: rule.level, tags: rule.tags, packVersion: running.pack.version });
    }
    this.counters.batches++;
    this.counters.hits += hits.length;
    req.resolve({ matched: true, version: running.pack.version, hits });
    this.pump();
  }

  /** Unloads the running pack, falls back to the last-known-good, retries the batch in flight once. */
  private async fail(running: Running, code: ErrorCode, message: string): Promise<void> {
    if (running !== this.running) return;
    const inFlight = this.inFlight;
    this.inFlight = undefined;
    if (inFlight) clearTimeout(inFlight.timer);
    this.running = undefined;
    void running.worker.terminate();
    const fallback = this.lkg && this.lkg.version !== running.pack.version ? this.lkg : undefined;
    if (this.lkg === running.pack) this.lkg = undefined;
    this.recordFailure(running.pack.version, code, message, fallback?.version ?? '');
    if (inFlight) {
      if (fallback && !inFlight.req.retried) {
        inFlight.req.retried = true;
        this.queue.unshift(inFlight.req);
      } else {
        this.counters.unmatchedBatches++;
        inFlight.req.resolve({ matched: false, reason: 'failed' });
      }
    }
    if (fallback && !this.closed) await this.load(fallback);
    else this.drainUnmatched();
  }

  private drainUnmatched(): void {
    for (const req of this.queue.splice(0)) {
      this.counters.unmatchedBatches++;
      req.resolve({ matched: false, reason: this.closed ? 'no-pack' : 'failed' });
    }
  }

  private recordFailure(version: string, code: ErrorCode, message: string, fallbackVersion = this.running?.pack.version ?? ''): void {
    this.counters.failuresTotal++;
    this.failures.push({ kind: 'signatures', version, code, message, atMs: Date.now(), fallbackVersion });
    if (this.failures.length > MAX_FAILURES_KEPT) this.failures.shift();
    this.o.log.error('signature pack unloaded', { version, code, message, fallback: fallbackVersion || 'none' });
  }

  /** Starts a worker with `pack` and waits until it loaded (or failed to). */
  private spawn(pack: SignaturePack): Promise<{ ok: true; worker: Worker } | { ok: false; problems: VigieProblem[] }> {
    const path = workerPath();
    if (!existsSync(path)) {
      return Promise.resolve({ ok: false, problems: [{ code: 'VIGIE_PACK_FAILED', message: `signature worker code not found at ${path}: run \`npm run build\`` }] });
    }
    const worker = new Worker(path, { name: 'vigie-signatures', resourceLimits: { maxOldGenerationSizeMb: this.o.memoryMb, maxYoungGenerationSizeMb: 16 } });
    worker.unref();
    return new Promise((resolve) => {
      let settled = false;
      const settle = (v: { ok: true; worker: Worker } | { ok: false; problems: VigieProblem[] }) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (!v.ok) void worker.terminate();
        resolve(v);
      };
      const timer = setTimeout(() => settle({ ok: false, problems: [{ code: 'VIGIE_PACK_FAILED', message: `pack took longer than ${this.o.loadTimeoutMs} ms to load` }] }), this.o.loadTimeoutMs);
      worker.on('message', (m: FromPackWorker) => {
        if (!settled) {
          if (m.t === 'loaded') settle({ ok: true, worker });
          else if (m.t === 'load-failed') settle({ ok: false, problems: m.problems });
          return;
        }
        if (this.running?.worker === worker) this.onMessage(this.running, m);
      });
      worker.on('error', (e) => {
        if (!settled) settle({ ok: false, problems: [{ code: 'VIGIE_PACK_FAILED', message: `pack worker failed while loading: ${e.message}` }] });
        else if (this.running?.worker === worker) void this.fail(this.running, 'VIGIE_PACK_FAILED', `pack worker failed: ${e.message}`);
      });
      worker.on('exit', (code) => {
        if (!settled) settle({ ok: false, problems: [{ code: 'VIGIE_PACK_FAILED', message: `pack worker exited (${code}) while loading` }] });
        else if (this.running?.worker === worker && !this.closed) void this.fail(this.running, 'VIGIE_PACK_FAILED', `pack worker exited (${code})`);
      });
      worker.postMessage({ t: 'load', pack } satisfies ToPackWorker);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.switching;
    if (this.inFlight) {
      clearTimeout(this.inFlight.timer);
      this.counters.unmatchedBatches++;
      this.inFlight.req.resolve({ matched: false, reason: 'no-pack' });
      this.inFlight = undefined;
    }
    this.drainUnmatched();
    const running = this.running;
    this.running = undefined;
    if (running) await running.worker.terminate();
  }
}
