/**
 * The compiler against a SigmaHQ rules snapshot (shared/sigma), when present: most in-scope rules
 * must compile, and every problem must say where it is.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSigma, loadRuleSources } from '../../../signatures/sigma/index.js';
import type { VigieProblem } from '../../../common/errors.js';

const ARCHIVE = join(import.meta.dirname, '../../../../shared/sigma/sigmahq_rules_subset.tar.gz');
const present = existsSync(ARCHIVE);

/** "field 'X' has no Vigie ..." and "unknown search identifier 'a'" -> one bucket per construct. */
function reason(p: VigieProblem): string {
  return `${p.code}: ${p.message.replace(/^condition '[^']*': /, 'condition: ').replace(/\/.*\/:/, '/…/:')}`;
}

const TITLE = present ? 'SigmaHQ rules subset' : `SigmaHQ rules subset (skipped: ${ARCHIVE} is missing; the snapshot lives in shared/sigma)`;

describe.skipIf(!present)(TITLE, () => {
  it('compiles at least 95% of in-scope rules and locates every problem', () => {
    const sources = loadRuleSources([ARCHIVE]);
    expect(sources.ok).toBe(true);
    if (!sources.ok) return;
    const outcome = compileSigma(sources.value);
    const failedFiles = new Set(outcome.problems.map((p) => `${p.location?.file ?? ''}:${p.location?.field ?? ''}`));
    const inScope = outcome.rules.length + failedFiles.size;
    const rate = outcome.rules.length / inScope;
    const reasons = new Map<string, number>();
    for (const p of outcome.problems) reasons.set(reason(p), (reasons.get(reason(p)) ?? 0) + 1);
    const top = [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 15);
    console.log(
      `SigmaHQ subset: ${sources.value.length} files, ${outcome.rules.length}/${inScope} in-scope rules compiled ` +
        `(${(rate * 100).toFixed(2)}%), ${outcome.outOfScope.length} out of scope, ${outcome.problems.length} problems\n` +
        top.map(([r, n]) => `  ${n} x ${r}`).join('\n'),
    );
    for (const p of outcome.problems) {
      expect(p.location?.file, JSON.stringify(p)).toBeTruthy();
      expect(p.location?.line, JSON.stringify(p)).toBeGreaterThan(0);
    }
    expect(rate).toBeGreaterThanOrEqual(0.95);
  });
});
