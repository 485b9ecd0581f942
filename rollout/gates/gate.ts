/**
 * A health gate compares hosts on the new version with hosts still on the old one and answers
 * pass, fail or inconclusive. Missing data is never a pass: too few hosts or too little
 * exposure is "inconclusive", which holds the rollout (and alerts) instead of advancing it.
 * A gate is one file; the controller runs the list it is given (gates/index.ts).
 */
import type { CohortView } from './cohort-view.js';

export type GateVerdict = 'pass' | 'fail' | 'inconclusive';

export interface GateResult {
  gate: string;
  verdict: GateVerdict;
  /** One sentence for the release manager. */
  reason: string;
  /** The numbers behind the verdict (counts, rates, p-values). */
  stats: Record<string, number>;
}

export interface HealthGate {
  readonly name: string;
  evaluate(view: CohortView): GateResult;
}
