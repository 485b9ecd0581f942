/**
 * The agent's side of content delivery over its one DEALER socket: signed directives arrive after
 * heartbeats, bundles are asked for by payload sha256 and answered by the engine. Nothing here is
 * trusted: the updater verifies directives and bundles against the pinned root.
 */
import { ErrorCodes, fail, ok, type ErrorCode, type Result } from '../../common/errors.js';
import { bundleRequestFrames, decodeBundleData, decodeSignedDirective } from '../../common/wire/rollout-frames.js';
import type { Directive, DirectiveTarget } from '../../rollout/controller/directive.js';
import type { Signed } from '../../rollout/trust/index.js';
import type { BundleSource } from '../updater/index.js';

/** A SignedDirective message as the `{ signed, signatures }` document the TrustStore verifies. */
export function directiveFromWire(payload: Uint8Array): Result<Signed<Directive>> {
  const msg = decodeSignedDirective(payload);
  if (!msg.ok) return msg;
  let signed: unknown;
  try {
    signed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(msg.value.signed));
  } catch (e) {
    return fail('VIGIE_DIRECTIVE_INVALID', `directive is not UTF-8 JSON: ${(e as Error).message}`, { field: 'signed' });
  }
  return ok({ signed: signed as Directive, signatures: msg.value.signatures.map((s) => ({ keyid: s.keyid ?? '', sig: s.sig ?? '' })) });
}

interface Waiting {
  resolve(r: Result<Uint8Array>): void;
  timer: NodeJS.Timeout;
}

/**
 * Bundles from the engine. One request per sha256 at a time (concurrent fetches of the same one
 * share it); a request unanswered within `timeoutMs` fails, and the directive is tried again
 * when the engine sends it after a later heartbeat.
 */
export class EngineBundleSource implements BundleSource {
  private readonly waiting = new Map<string, { promise: Promise<Result<Uint8Array>>; waiting: Waiting }>();
  private closed = false;
  readonly counters = { requests: 0, received: 0, refused: 0, timeouts: 0, unexpected: 0 };

  constructor(private readonly send: (frames: (Buffer | Uint8Array)[]) => Promise<boolean>, private readonly timeoutMs: number) {}

  fetch(t: DirectiveTarget): Promise<Result<Uint8Array>> {
    if (this.closed) return Promise.resolve(fail('VIGIE_UPDATER_IO', 'agent stopping'));
    const pending = this.waiting.get(t.sha256);
    if (pending) return pending.promise;
    let waiting!: Waiting;
    const promise = new Promise<Result<Uint8Array>>((resolve) => {
      const timer = setTimeout(() => {
        this.counters.timeouts++;
        this.settle(t.sha256, fail('VIGIE_UPDATER_IO', `no answer from the engine for bundle ${t.sha256.slice(0, 12)}... within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      timer.unref();
      waiting = { resolve, timer };
    });
    this.waiting.set(t.sha256, { promise, waiting });
    this.counters.requests++;
    void this.send(bundleRequestFrames(t.sha256)).then((sent) => {
      if (!sent) this.settle(t.sha256, fail('VIGIE_UPDATER_IO', 'engine unreachable: bundle request not sent'));
    });
    return promise;
  }

  /** A BundleData message from the transport. */
  onBundleData(payload: Uint8Array): void {
    const d = decodeBundleData(payload);
    if (!d.ok || !this.waiting.has(d.value.sha256)) {
      this.counters.unexpected++;
      return;
    }
    const { sha256, errorCode, errorMessage, bytes } = d.value;
    if (errorCode) {
      this.counters.refused++;
      const code: ErrorCode = errorCode in ErrorCodes ? (errorCode as ErrorCode) : 'VIGIE_UPDATER_IO';
      return this.settle(sha256, fail(code, `engine: ${errorMessage || errorCode}`, { field: sha256 }));
    }
    this.counters.received++;
    this.settle(sha256, ok(bytes));
  }

  private settle(sha256: string, r: Result<Uint8Array>): void {
    const p = this.waiting.get(sha256);
    if (!p) return;
    this.waiting.delete(sha256);
    clearTimeout(p.waiting.timer);
    p.waiting.resolve(r);
  }

  /** Fails every request still waiting: a stopping agent does not wait for bundles. */
  close(): void {
    this.closed = true;
    for (const sha of [...this.waiting.keys()]) this.settle(sha, fail('VIGIE_UPDATER_IO', 'agent stopping'));
  }
}
