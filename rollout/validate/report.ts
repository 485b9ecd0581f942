/**
 * What `vigie rollout validate` says about a bundle: one line per check, each with a verdict and,
 * when it blocks, the code and every problem found (validators report everything, not the first).
 * A bundle is blocked when any check blocks. 'warn' never blocks; it says what was not measured
 * or was measured on weaker ground (a simulated corpus, an unsigned raw file), so it is never a
 * silent pass.
 */
import type { ErrorCode, VigieProblem } from '../../common/errors.js';
import type { ContentKind } from '../bundle/manifest.js';

export type Verdict = 'pass' | 'block' | 'warn';

export type Metrics = Record<string, number | string>;

export interface Check {
  /** Stable name: bundle, content, schema, compile, corpus, replay, detections, cpu, fuzz. */
  name: string;
  verdict: Verdict;
  /** The typed reason when the check blocks (or warns on something typed). */
  code?: ErrorCode;
  /** One readable sentence. */
  detail: string;
  metrics?: Metrics;
  /** Every problem behind the verdict, each with its location. */
  problems?: VigieProblem[];
}

export interface CorpusInfo {
  /** "archive:DIR" or "simulated:..." (with why the archive was not used). */
  source: string;
  events: number;
  simulated: boolean;
}

export interface ValidationReport {
  /** What was validated; kind 'unknown' only when a bundle file could not even be read. */
  bundle: { kind: ContentKind | 'unknown'; name: string; version: string; sha256: string };
  blocked: boolean;
  checks: Check[];
  corpus: CorpusInfo;
  durationMs: number;
}

export function pass(name: string, detail: string, metrics?: Metrics): Check {
  return metrics ? { name, verdict: 'pass', detail, metrics } : { name, verdict: 'pass', detail };
}

export function warn(name: string, detail: string, extra: Partial<Pick<Check, 'code' | 'metrics' | 'problems'>> = {}): Check {
  return { name, verdict: 'warn', detail, ...extra };
}

export function block(name: string, code: ErrorCode, detail: string, extra: Partial<Pick<Check, 'metrics' | 'problems'>> = {}): Check {
  return { name, verdict: 'block', code, detail, ...extra };
}

/** A blocking check from a list of problems: the first one's code, all of them kept. */
export function blockAll(name: string, problems: readonly VigieProblem[], summary: string): Check {
  return block(name, problems[0]!.code, `${summary}: ${problems.length} problem${problems.length === 1 ? '' : 's'}, first: ${problems[0]!.message}`, { problems: [...problems] });
}

export function isBlocked(checks: readonly Check[]): boolean {
  return checks.some((c) => c.verdict === 'block');
}
