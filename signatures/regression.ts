/**
 * The SigmaHQ regression check: each sample names a rule and holds the events (Sysmon JSON) on
 * which that rule must fire, `expected_match_count` times (null: at least once). The events go
 * through the Sysmon adapter, as a Windows endpoint's would, then through the same rule set a
 * sensor runs. Samples whose rule is for a logsource Vigie does not cover are out of scope.
 */
import { readFileSync } from 'node:fs';
import { fail, ok, type Result } from '../common/errors.js';
import type { Event } from '../common/events.js';
import { SysmonTranslator } from '../sensors/adapters/sysmon/index.js';
import type { CompiledRule } from './ir.js';
import { buildRuleSet } from './match/index.js';

const IN_SCOPE = new Set(['process_creation', 'network_connection', 'dns_query']);

export interface SampleResult {
  ruleId: string;
  title: string;
  file: string;
  passed: boolean;
  expected: number | null;
  matched: number;
  reason: string;
}

export interface RegressionReport {
  pass_rate: number;
  passed: number;
  failed: number;
  out_of_scope: number;
  samples: SampleResult[];
}

interface Sample {
  rule: { id: string; title?: string; path?: string; logsource?: { category?: string } };
  test?: { expected_match_count?: number | null };
  events: unknown[];
}

/** Reads the samples file (JSONL). A line that is not a sample is a problem with its line number. */
export function readSamples(file: string): Result<Sample[]> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return fail('VIGIE_REPLAY_IO', (e as Error).message, { file });
  }
  const samples: Sample[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    try {
      const s = JSON.parse(line) as Sample;
      if (typeof s?.rule?.id !== 'string' || !Array.isArray(s.events)) throw new Error('a sample needs rule.id and events[]');
      samples.push(s);
    } catch (e) {
      return fail('VIGIE_RULE_PARSE', `not a regression sample: ${(e as Error).message}`, { file, line: i + 1 });
    }
  }
  return ok(samples);
}

/**
 * Runs every sample against `rules`. `problems` maps rule ids that did not compile to why, so a
 * failure says "rule not compiled: <cause>" rather than "no match".
 */
export function runRegression(samples: readonly Sample[], rules: readonly CompiledRule[], problems: ReadonlyMap<string, string>): RegressionReport {
  const results: SampleResult[] = [];
  let outOfScope = 0;
  const byId = new Map(rules.map((r, i) => [r.id, i]));
  for (const s of samples) {
    const category = s.rule.logsource?.category ?? '';
    if (!IN_SCOPE.has(category)) {
      outOfScope++;
      continue;
    }
    const expected = s.test?.expected_match_count ?? null;
    const base = { ruleId: s.rule.id, title: s.rule.title ?? '', file: s.rule.path ?? '', expected };
    const index = byId.get(s.rule.id);
    if (index === undefined) {
      results.push({ ...base, passed: false, matched: 0, reason: `rule not compiled: ${problems.get(s.rule.id) ?? 'not found in the rule set'}` });
      continue;
    }
    const built = buildRuleSet([rules[index]!]);
    if (!built.ok) {
      results.push({ ...base, passed: false, matched: 0, reason: `rule does not build: ${built.problems.map((p) => p.message).join('; ')}` });
      continue;
    }
    const translator = new SysmonTranslator();
    const events: Event[] = [];
    const skipped: string[] = [];
    for (const raw of s.events) {
      const t = translator.translate(raw);
      if (t.kind === 'event') events.push(t.event);
      else skipped.push(t.kind === 'unsupported' ? t.key : t.problem.message);
    }
    const matched = built.value.match(events).length;
    const passed = expected === null ? matched >= 1 : matched === expected;
    const reason = passed ? '' : `matched ${matched} of ${events.length} events, expected ${expected ?? 'at least 1'}${skipped.length ? `; not translated: ${skipped.join(', ')}` : ''}`;
    results.push({ ...base, passed, matched, reason });
  }
  const passed = results.filter((r) => r.passed).length;
  const total = results.length;
  return { pass_rate: total === 0 ? 0 : Math.round((passed / total) * 10_000) / 10_000, passed, failed: total - passed, out_of_scope: outOfScope, samples: results };
}
