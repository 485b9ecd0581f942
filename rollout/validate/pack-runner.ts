/**
 * One signature pack in the sensor's own runtime: a real SignatureHost (sensors/signatures), so a
 * worker thread with the heap limit and a time budget per frame, loaded and matched exactly as
 * on a host. Nothing here re-implements matching: a validator that ran the rules another way
 * could disagree with the sensor.
 *
 * Differences from a sensor, on purpose: the host never gets a last-known-good pack (a failure
 * must surface, not be retried on a fallback), and each frame is timed from the caller's side.
 */
import type { ErrorCode, VigieProblem } from '../../common/errors.js';
import { silentLogger } from '../../common/log.js';
import { SignatureHost } from '../../sensors/signatures/index.js';
import type { SignaturePack } from '../../signatures/pack/index.js';

export type FailureKind = 'crash' | 'timeout';

export interface RunFailure {
  kind: FailureKind;
  code: ErrorCode;
  message: string;
}

export type FrameRun =
  | { ok: true; ms: number; hits: Array<{ ruleId: string; eventIndex: number }> }
  | { ok: false; ms: number; failure: RunFailure };

export interface RunnerLimits {
  budgetMs: number;
  memoryMb: number;
  /** How long the pack may take to load; default the sensor's. */
  loadTimeoutMs?: number;
}

/** The host's failure messages say which limit was hit; a budget blown is a timeout, the rest crashes. */
export function failureKind(message: string): FailureKind {
  return /budget|longer than/.test(message) ? 'timeout' : 'crash';
}

export class PackRunner {
  private constructor(private readonly host: SignatureHost, readonly pack: SignaturePack) {}

  /** Loads `pack` in a fresh worker; its load problems (compile, crash, timeout) otherwise. */
  static async start(pack: SignaturePack, limits: RunnerLimits): Promise<{ ok: true; runner: PackRunner } | { ok: false; failure: RunFailure; problems: VigieProblem[] }> {
    const host = await SignatureHost.start(undefined, {
      log: silentLogger, budgetMs: limits.budgetMs, memoryMb: limits.memoryMb,
      provenBatches: Number.MAX_SAFE_INTEGER, queueMax: 4,
      ...(limits.loadTimeoutMs !== undefined ? { loadTimeoutMs: limits.loadTimeoutMs } : {}),
    });
    const loaded = await host.load(pack);
    if (!loaded.ok) {
      await host.close();
      const first = loaded.problems[0];
      const message = loaded.problems.map((p) => p.message).join('; ');
      const kind = first?.code === 'VIGIE_PACK_FAILED' ? failureKind(message) : 'crash';
      return { ok: false, failure: { kind, code: first?.code ?? 'VIGIE_PACK_FAILED', message }, problems: loaded.problems };
    }
    return { ok: true, runner: new PackRunner(host, pack) };
  }

  get failed(): boolean {
    return this.host.version === '';
  }

  /** Matches one frame (the encoded `events` of a TelemetryBatch). */
  async run(frame: Uint8Array): Promise<FrameRun> {
    const t0 = performance.now();
    const out = await this.host.match(frame);
    const ms = performance.now() - t0;
    if (out.matched) return { ok: true, ms, hits: out.hits.map((h) => ({ ruleId: h.ruleId ?? '', eventIndex: h.eventIndex ?? 0 })) };
    const f = this.host.failures[this.host.failures.length - 1];
    const message = f?.message ?? `frame not matched (${out.reason})`;
    return { ok: false, ms, failure: { kind: failureKind(message), code: f?.code ?? 'VIGIE_PACK_FAILED', message } };
  }

  close(): Promise<void> {
    return this.host.close();
  }
}
