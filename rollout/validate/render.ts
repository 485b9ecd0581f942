/**
 * A report as text for a terminal: what was validated, one row per check (verdict, name, code,
 * detail), the problems under a blocking check with their locations, and the verdict last.
 */
import { formatProblem } from '../../common/errors.js';
import type { ValidationReport } from './report.js';

const MAX_PROBLEMS_SHOWN = 10;
const MARK = { pass: 'PASS ', warn: 'WARN ', block: 'BLOCK' } as const;

export function renderReport(r: ValidationReport): string {
  const lines: string[] = [];
  const b = r.bundle;
  lines.push(`${b.kind} ${b.name} ${b.version || '(no version)'}  sha256 ${b.sha256.slice(0, 16)}...`);
  lines.push(`corpus: ${r.corpus.events} events, ${r.corpus.source}`);
  const width = Math.max(...r.checks.map((c) => c.name.length));
  for (const c of r.checks) {
    lines.push(`  ${MARK[c.verdict]}  ${c.name.padEnd(width)}  ${c.code ? `${c.code}: ` : ''}${c.detail}`);
    const shown = c.verdict === 'block' ? (c.problems ?? []).slice(0, MAX_PROBLEMS_SHOWN) : [];
    for (const p of shown) lines.push(`${' '.repeat(width + 11)}- ${formatProblem(p)}`);
    const more = (c.problems?.length ?? 0) - shown.length;
    if (c.verdict === 'block' && more > 0) lines.push(`${' '.repeat(width + 11)}- ... and ${more} more (--json lists them all)`);
  }
  const blocking = r.checks.filter((c) => c.verdict === 'block').map((c) => c.name);
  lines.push(r.blocked
    ? `BLOCKED (VIGIE_VALIDATION_BLOCKED) by ${blocking.join(', ')} in ${(r.durationMs / 1000).toFixed(1)} s`
    : `PASSED in ${(r.durationMs / 1000).toFixed(1)} s${r.checks.some((c) => c.verdict === 'warn') ? ', with warnings' : ''}`);
  return `${lines.join('\n')}\n`;
}
