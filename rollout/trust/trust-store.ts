/**
 * The trust a sensor (or validator, or controller) holds: one verified root. Built from the pinned
 * root, moved forward only by rotation, and used to check bundle manifests (release role) and
 * directives (directive role). Each check returns the first fatal problem as a typed value.
 */
import { fail, ok } from '../../common/errors.js';
import type { ErrorLocation, Result, VigieProblem } from '../../common/errors.js';
import { manifestProblems } from '../bundle/manifest-shape.js';
import type { BundleManifest } from '../bundle/manifest.js';
import type { Directive } from '../controller/directive.js';
import { directiveProblems } from './directive-shape.js';
import { isExpired } from './iso-time.js';
import { rootProblems } from './root.js';
import type { RoleName, RootMetadata } from './root.js';
import { checkThreshold, envelopeProblem } from './signed.js';
import type { Signed } from './signed.js';

export interface VerifyOptions {
  /** Where the document came from, for problem locations. */
  file?: string;
}

export interface DirectiveOptions extends VerifyOptions {
  /** The highest serial already accepted: a directive must be strictly above it. */
  lastSerial?: number;
}

const loc = (file: string | undefined, field?: string): ErrorLocation => ({
  ...(file === undefined ? {} : { file }),
  ...(field === undefined ? {} : { field }),
});

export class TrustStore {
  private constructor(
    readonly root: Signed<RootMetadata>,
    /** Where the root was read from, for the location of root expiry problems. */
    readonly rootFile: string | undefined,
  ) {}

  /** The pinned root: well formed, signed by its own root-role threshold, not expired. */
  static fromRoot(root: Signed<RootMetadata>, nowMs: number, o: VerifyOptions = {}): Result<TrustStore> {
    const checked = checkRootDocument(root, o.file);
    if (!checked.ok) return checked;
    const r = root.signed;
    const self = checkThreshold(root, r.keys, r.roles.root, `root v${r.version} (self-signature)`, loc(o.file), 'VIGIE_TRUST_INVALID');
    if (!self.ok) return self;
    if (isExpired(r.expires, nowMs)) return expired(`root v${r.version}`, r.expires, o.file);
    return ok(new TrustStore(root, o.file));
  }

  get version(): number {
    return this.root.signed.version;
  }

  get expires(): string {
    return this.root.signed.expires;
  }

  /**
   * The next root: version + 1, signed by the threshold of the current root's root role AND of
   * its own root role, and not expired. Old keys vouch for the new ones; the new keys prove they
   * are held. An expired current root may still be rotated: that is how a fleet recovers.
   */
  rotate(next: Signed<RootMetadata>, nowMs: number, o: VerifyOptions = {}): Result<TrustStore> {
    const checked = checkRootDocument(next, o.file);
    if (!checked.ok) return checked;
    const n = next.signed;
    if (n.version !== this.version + 1) {
      const code = n.version <= this.version ? 'VIGIE_BUNDLE_ROLLBACK' : 'VIGIE_TRUST_INVALID';
      return fail(code, `root v${n.version} does not follow the trusted root v${this.version} (must be v${this.version + 1})`, loc(o.file, 'signed.version'));
    }
    const cur = this.root.signed;
    const byOld = checkThreshold(next, cur.keys, cur.roles.root, `root v${n.version} (signed by root v${cur.version} keys)`, loc(o.file), 'VIGIE_TRUST_INVALID');
    if (!byOld.ok) return byOld;
    const byNew = checkThreshold(next, n.keys, n.roles.root, `root v${n.version} (self-signature)`, loc(o.file), 'VIGIE_TRUST_INVALID');
    if (!byNew.ok) return byNew;
    if (isExpired(n.expires, nowMs)) return expired(`root v${n.version}`, n.expires, o.file);
    return ok(new TrustStore(next, o.file));
  }

  /** Shape, release-role threshold, manifest expiry, and the root's own expiry. */
  verifyManifest(m: Signed<BundleManifest>, nowMs: number, o: VerifyOptions = {}): Result<BundleManifest> {
    const env = envelopeProblem(m, 'bundle manifest', o.file, 'VIGIE_BUNDLE_INVALID');
    if (!env.ok) return env;
    const shape = manifestProblems(m.signed, o.file)[0];
    if (shape) return { ok: false, error: shape };
    const problem = this.signatureProblem(m, 'release', `manifest ${m.signed.name} ${m.signed.version}`, o.file) ?? this.expiryProblem(m.signed.expires, `manifest ${m.signed.name} ${m.signed.version}`, nowMs, o.file);
    return problem ? { ok: false, error: problem } : ok(m.signed);
  }

  /** Shape, directive-role threshold, expiry, and (when given) a serial above the last accepted. */
  verifyDirective(d: Signed<Directive>, nowMs: number, o: DirectiveOptions = {}): Result<Directive> {
    const env = envelopeProblem(d, 'directive', o.file, 'VIGIE_DIRECTIVE_INVALID');
    if (!env.ok) return env;
    const shape = directiveProblems(d.signed, o.file)[0];
    if (shape) return { ok: false, error: shape };
    const what = `directive serial ${d.signed.serial}`;
    const problem = this.signatureProblem(d, 'directive', what, o.file) ?? this.expiryProblem(d.signed.expires, what, nowMs, o.file);
    if (problem) return { ok: false, error: problem };
    if (o.lastSerial !== undefined && d.signed.serial <= o.lastSerial) {
      return fail('VIGIE_BUNDLE_ROLLBACK', `${what} is not above the last accepted serial ${o.lastSerial}`, loc(o.file, 'signed.serial'));
    }
    return ok(d.signed);
  }

  /** The role's threshold check alone, for validators that list every problem. */
  signatureProblem(doc: Signed<unknown>, role: RoleName, what: string, file?: string): VigieProblem | undefined {
    const r = this.root.signed;
    const res = checkThreshold(doc, r.keys, r.roles[role], `${what} (${role} role)`, loc(file));
    return res.ok ? undefined : res.error;
  }

  /** The document's expiry, then the root's: an expired root refuses every new load. */
  expiryProblem(expires: string, what: string, nowMs: number, file?: string): VigieProblem | undefined {
    if (isExpired(expires, nowMs)) return problemOf(expired(what, expires, file));
    return this.rootExpiryProblem(nowMs);
  }

  /** The trusted root's own expiry: once passed, nothing new is accepted until a rotation. */
  rootExpiryProblem(nowMs: number): VigieProblem | undefined {
    return isExpired(this.expires, nowMs) ? problemOf(expired(`trusted root v${this.version}`, this.expires, this.rootFile)) : undefined;
  }
}

function checkRootDocument(root: Signed<RootMetadata>, file: string | undefined): Result<true> {
  const env = envelopeProblem(root, 'root', file, 'VIGIE_TRUST_INVALID');
  if (!env.ok) return env;
  const shape = rootProblems(root.signed, file)[0];
  return shape ? { ok: false, error: shape } : ok(true);
}

function expired(what: string, expires: string, file: string | undefined): Result<never> {
  return fail('VIGIE_BUNDLE_EXPIRED', `${what} expired at ${expires}`, loc(file, 'signed.expires'));
}

function problemOf(r: Result<never>): VigieProblem {
  if (r.ok) throw new Error('unreachable');
  return r.error;
}
