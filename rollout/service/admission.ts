/**
 * A rollout is created only for a bundle that passed pre-release validation. Either the
 * validator runs here (rollout/validate `validateContent`, the same code as `vigie rollout
 * validate`), comparing with the version the fleet runs now, or the release manager hands in the
 * JSON report of an earlier run, which must name this very bundle (sha256) and not be blocked.
 */
import { readFileSync } from 'node:fs';
import { fail, ok, type Result } from '../../common/errors.js';
import { validateContent, type CurrentContent, type ValidateOptions, type ValidationReport } from '../validate/index.js';
import type { IncomingBundle } from './bundle-intake.js';

export type Admission =
  | { kind: 'validate'; options?: Partial<ValidateOptions> }
  | { kind: 'report'; file: string };

/** What the audit log keeps of the validation. */
export interface AdmissionSummary {
  source: 'validator' | 'report';
  file?: string;
  sha256: string;
  checks: { name: string; verdict: string; detail: string }[];
  corpus?: string;
}

export async function admit(b: IncomingBundle, current: CurrentContent | undefined, a: Admission): Promise<Result<AdmissionSummary>> {
  if (a.kind === 'report') return fromReport(b, a.file);
  const report = await validateContent({ kind: b.manifest.kind, payload: b.payload, file: b.file, manifest: b.manifest, bundleProblems: [] }, current, a.options ?? {});
  return judge(report, 'validator', b.file);
}

function fromReport(b: IncomingBundle, file: string): Result<AdmissionSummary> {
  let parsed: unknown;
  try {
    const text = readFileSync(file, 'utf8');
    // The whole file, or the last line: `vigie rollout validate --json > FILE` prints its table first.
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = JSON.parse(text.trim().split('\n').pop() ?? '');
    }
  } catch (e) {
    return fail('VIGIE_VALIDATION_BLOCKED', `cannot read the validation report: ${(e as Error).message}`, { file });
  }
  // `vigie rollout validate --json` may wrap the report; accept it bare or as { report }.
  const obj = parsed as { report?: unknown } | null;
  const report = (typeof obj?.report === 'object' && obj.report !== null ? obj.report : parsed) as Partial<ValidationReport> | null;
  if (typeof report !== 'object' || report === null || typeof report.blocked !== 'boolean' || !Array.isArray(report.checks) || typeof report.bundle?.sha256 !== 'string') {
    return fail('VIGIE_VALIDATION_BLOCKED', 'not a validation report (needs blocked, checks and bundle.sha256)', { file });
  }
  if (report.bundle.sha256 !== b.manifest.sha256) {
    return fail('VIGIE_VALIDATION_BLOCKED', `the report is for payload ${report.bundle.sha256.slice(0, 16)}..., not this bundle's ${b.manifest.sha256.slice(0, 16)}...`, { file, field: 'bundle.sha256' });
  }
  return judge(report as ValidationReport, 'report', file);
}

function judge(report: ValidationReport, source: AdmissionSummary['source'], file: string): Result<AdmissionSummary> {
  const blocking = report.checks.filter((c) => c.verdict === 'block');
  if (report.blocked || blocking.length > 0) {
    const first = blocking[0];
    const what = blocking.map((c) => `${c.name}${c.code ? ` (${c.code})` : ''}: ${c.detail}`).join('; ') || 'the report says blocked';
    return fail('VIGIE_VALIDATION_BLOCKED', `validation blocked the bundle: ${what}`, { file, ...(first ? { field: first.name } : {}) });
  }
  return ok({
    source, ...(source === 'report' ? { file } : {}), sha256: report.bundle.sha256,
    checks: report.checks.map((c) => ({ name: c.name, verdict: c.verdict, detail: c.detail })),
    ...(report.corpus ? { corpus: report.corpus.source } : {}),
  });
}
