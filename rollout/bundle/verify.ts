/**
 * Bundle verification as the sensor runs it (`verifyBundle`: first fatal problem) and as a
 * validator shows it (`bundleProblems`: every problem). Both run the same checks in the same
 * order, so a validator cannot pass what a sensor refuses.
 */
import { createHash } from 'node:crypto';
import { ok } from '../../common/errors.js';
import type { Result, VigieProblem } from '../../common/errors.js';
import { parseIsoTime } from '../trust/iso-time.js';
import type { Signed } from '../trust/signed.js';
import type { TrustStore } from '../trust/trust-store.js';
import { decodeFrame } from './format.js';
import { manifestProblems } from './manifest-shape.js';
import type { BundleManifest } from './manifest.js';
import { compareVersions, isRange, isVersion, satisfies } from './semver.js';

export interface VerifiedBundle {
  manifest: BundleManifest;
  payload: Uint8Array;
}

export interface VerifyBundleOptions {
  nowMs: number;
  /** This sensor's version, checked against sensorRange when given. */
  sensorVersion?: string;
  /** This engine's version, checked against engineRange when given. */
  engineVersion?: string;
  /** Feature schemas this reader speaks; the manifest's must be one of them when given. */
  featureSchemas?: readonly string[];
  /** Highest version of this name already accepted: the bundle must be strictly newer. */
  floor?: string;
  /** For problem locations. */
  file?: string;
}

export interface BundleReport {
  /** The parsed `{ signed, signatures }`, when the container could be read (shape maybe wrong). */
  manifest: Signed<BundleManifest> | undefined;
  payload: Uint8Array | undefined;
  problems: VigieProblem[];
}

export function verifyBundle(bytes: Uint8Array, trust: TrustStore, o: VerifyBundleOptions): Result<VerifiedBundle> {
  const report = inspect(bytes, trust, o, true);
  const first = report.problems[0];
  if (first) return { ok: false, error: first };
  return ok({ manifest: report.manifest!.signed, payload: report.payload! });
}

/** Every problem of the bundle, in the order verifyBundle meets them, with the parsed parts. */
export function inspectBundle(bytes: Uint8Array, trust: TrustStore, o: VerifyBundleOptions): BundleReport {
  return inspect(bytes, trust, o, false);
}

export function bundleProblems(bytes: Uint8Array, trust: TrustStore, o: VerifyBundleOptions): VigieProblem[] {
  return inspect(bytes, trust, o, false).problems;
}

function inspect(bytes: Uint8Array, trust: TrustStore, o: VerifyBundleOptions, stopAtFirst: boolean): BundleReport {
  const frame = decodeFrame(bytes, o.file);
  if (!frame.ok) return { manifest: undefined, payload: undefined, problems: [frame.error] };
  const signedDoc = frame.value.manifest as Signed<BundleManifest>;
  const payload = frame.value.payload;
  const problems: VigieProblem[] = [];
  const report: BundleReport = { manifest: signedDoc, payload, problems };
  const where = (field: string): { file?: string; field: string } => (o.file === undefined ? { field } : { file: o.file, field });
  const fields = signedDoc.signed as Partial<Record<keyof BundleManifest, unknown>>;
  const what = `manifest ${String(fields.name)} ${String(fields.version)}`;
  // Each step adds its problems; verifyBundle stops at the first step that found any.
  const steps: (() => void)[] = [
    () => problems.push(...manifestProblems(fields, o.file)),
    () => push(trust.signatureProblem(signedDoc, 'release', what, o.file)),
    () => {
      if (parseIsoTime(fields.expires) !== undefined) push(trust.expiryProblem(fields.expires as string, what, o.nowMs, o.file));
      else push(trust.rootExpiryProblem(o.nowMs));
    },
    () => {
      if (typeof fields.size === 'number' && fields.size !== payload.length) {
        problems.push({ code: 'VIGIE_BUNDLE_DIGEST', message: `payload is ${payload.length} bytes, the manifest says ${fields.size}`, location: where('signed.size') });
      }
      const digest = createHash('sha256').update(payload).digest('hex');
      if (typeof fields.sha256 === 'string' && fields.sha256 !== digest) {
        problems.push({ code: 'VIGIE_BUNDLE_DIGEST', message: `payload sha256 ${digest.slice(0, 16)}... does not match the manifest's ${fields.sha256.slice(0, 16)}...`, location: where('signed.sha256') });
      }
    },
    () => {
      const incompatible = (field: string, message: string): void => {
        problems.push({ code: 'VIGIE_BUNDLE_INCOMPATIBLE', message, location: where(field) });
      };
      if (o.sensorVersion !== undefined && isRange(fields.sensorRange) && !satisfies(o.sensorVersion, fields.sensorRange)) {
        incompatible('signed.sensorRange', `sensor ${o.sensorVersion} is not in sensorRange "${fields.sensorRange}"`);
      }
      if (o.engineVersion !== undefined && isRange(fields.engineRange) && !satisfies(o.engineVersion, fields.engineRange)) {
        incompatible('signed.engineRange', `engine ${o.engineVersion} is not in engineRange "${fields.engineRange}"`);
      }
      if (o.featureSchemas !== undefined && typeof fields.featureSchema === 'string' && !o.featureSchemas.includes(fields.featureSchema)) {
        incompatible('signed.featureSchema', `feature schema "${fields.featureSchema}" is not one of ${o.featureSchemas.join(', ') || '(none)'}`);
      }
    },
    () => {
      if (o.floor === undefined || !isVersion(fields.version)) return;
      if (!isVersion(o.floor)) {
        problems.push({ code: 'VIGIE_CONFIG_INVALID', message: `floor "${o.floor}" is not a semantic version`, location: { field: 'floor' } });
      } else if (compareVersions(fields.version, o.floor) <= 0) {
        problems.push({ code: 'VIGIE_BUNDLE_ROLLBACK', message: `${what} is not newer than ${o.floor}, already accepted (an older version needs a signed rollback directive)`, location: where('signed.version') });
      }
    },
  ];
  function push(p: VigieProblem | undefined): void {
    if (p) problems.push(p);
  }
  for (const step of steps) {
    step();
    if (stopAtFirst && problems.length > 0) break;
  }
  return report;
}
