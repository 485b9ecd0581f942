/**
 * What the compilation of one rule carries: where it comes from, and the problems found so far.
 * Compilation goes on after a problem so that one pass reports every problem of a rule.
 */
import type { ErrorCode, VigieProblem } from '../../common/errors.js';
import type { RuleCategory } from '../ir.js';

export interface RuleContext {
  file: string;
  /** The Sigma rule id, once known (problems name it as their `field`). */
  ruleId: string | undefined;
  category: RuleCategory;
  problems: VigieProblem[];
}

export function report(ctx: Pick<RuleContext, 'file' | 'ruleId' | 'problems'>, code: ErrorCode, message: string, line: number): void {
  const location = ctx.ruleId === undefined ? { file: ctx.file, line } : { file: ctx.file, line, field: ctx.ruleId };
  ctx.problems.push({ code, message, location });
}
