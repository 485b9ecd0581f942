/**
 * Signs directives once per distinct content and hands the same signed document to every host
 * that should run it. Each new document gets the next serial, so a host that was told "new
 * version" and then "roll back" sees serials move forward. A document is signed again (new
 * serial) when half its lifetime has passed, so hosts never hold an expired one for long.
 */
import type { Signed } from '../trust/index.js';
import { DIRECTIVE_FORMAT, type Directive, type DirectiveTarget } from './directive.js';

export interface DirectiveIssuerOptions {
  sign: (d: Directive) => Signed<Directive>;
  ttlMs: number;
  /** First serial to use (a restarted controller continues after the last one it issued). */
  nextSerial?: number;
}

interface Issued {
  signed: Signed<Directive>;
  issuedMs: number;
}

export class DirectiveIssuer {
  private readonly cache = new Map<string, Issued>();
  private serial: number;

  constructor(private readonly o: DirectiveIssuerOptions) {
    this.serial = o.nextSerial ?? 1;
  }

  get lastSerial(): number {
    return this.serial - 1;
  }

  /** Never reuse a serial at or below `serial` (one restored from a saved state). */
  continueAfter(serial: number): void {
    if (serial >= this.serial) {
      this.serial = serial + 1;
      // Cached documents carry lower serials than hosts may already hold: sign afresh.
      this.cache.clear();
    }
  }

  issue(targets: DirectiveTarget[], rollback: Directive['rollback'], nowMs: number): Signed<Directive> {
    const key = JSON.stringify([targets, rollback]);
    const hit = this.cache.get(key);
    if (hit && nowMs - hit.issuedMs < this.o.ttlMs / 2) return hit.signed;
    const d: Directive = {
      format: DIRECTIVE_FORMAT,
      serial: this.serial++,
      issued: new Date(nowMs).toISOString(),
      expires: new Date(nowMs + this.o.ttlMs).toISOString(),
      targets,
      rollback,
    };
    const signed = this.o.sign(d);
    this.cache.set(key, { signed, issuedMs: nowMs });
    return signed;
  }
}
