/**
 * One Sigma rule (a merged YAML map) -> a CompiledRule, an out-of-scope entry, or problems.
 * A rule with any problem is not emitted, but every problem it has is reported.
 */
import type { VigieProblem } from '../../common/errors.js';
import type { CompiledRule, Node } from '../ir.js';
import type { RuleDoc } from './collection.js';
import type { RuleContext } from './rule-context.js';
import { report } from './rule-context.js';
import { entry, scalarText } from './yaml-tree.js';
import { readLogsource, readMetadata, scopeOf } from './metadata.js';
import { compileDetection } from './detection.js';

export interface OutOfScope {
  file: string;
  line: number;
  id?: string;
  title?: string;
  /** The logsource as category/product/service, e.g. "file_event/windows". */
  logsource: string;
}

export type RuleOutcome =
  | { kind: 'rule'; rule: CompiledRule }
  | { kind: 'out-of-scope'; entry: OutOfScope }
  | { kind: 'problems'; problems: VigieProblem[] };

export function compileRule(file: string, doc: RuleDoc): RuleOutcome {
  const root = doc.root;
  const id = scalarText(entry(root, 'id')?.value);
  const title = scalarText(entry(root, 'title')?.value);
  const problems: VigieProblem[] = [];
  const base = { file, ruleId: id, problems };

  const correlation = entry(root, 'correlation');
  if (correlation !== undefined) {
    report(base, 'VIGIE_RULE_UNSUPPORTED', 'correlation rules are not supported', correlation.line);
    return { kind: 'problems', problems };
  }
  const logsourceEntry = entry(root, 'logsource');
  const logsource = readLogsource(logsourceEntry);
  if (logsource === undefined) {
    report(base, 'VIGIE_RULE_PARSE', logsourceEntry ? "'logsource' must be a map" : "rule has no 'logsource'", logsourceEntry?.line ?? doc.line);
    if (title === undefined) report(base, 'VIGIE_RULE_PARSE', "rule has no 'title'", doc.line);
    if (entry(root, 'detection') === undefined) report(base, 'VIGIE_RULE_PARSE', "rule has no 'detection'", doc.line);
    return { kind: 'problems', problems };
  }
  const scope = scopeOf(logsource);
  if (!scope.in) {
    const out: OutOfScope = { file, line: doc.line, logsource: scope.label };
    if (id !== undefined) out.id = id;
    if (title !== undefined) out.title = title;
    return { kind: 'out-of-scope', entry: out };
  }

  const ctx: RuleContext = { file, ruleId: id, category: scope.category, problems };
  const meta = readMetadata(ctx, root, doc.line);
  const timeframe = entry(root, 'timeframe');
  if (timeframe !== undefined) report(ctx, 'VIGIE_RULE_UNSUPPORTED', "'timeframe' (a time-windowed detection) is not supported", timeframe.line);
  const detectionEntry = entry(root, 'detection');
  let condition: Node | undefined;
  if (detectionEntry === undefined) {
    report(ctx, 'VIGIE_RULE_PARSE', "rule has no 'detection'", doc.line);
  } else if (detectionEntry.value.kind !== 'map') {
    report(ctx, 'VIGIE_RULE_PARSE', "'detection' must be a map", detectionEntry.line);
  } else {
    condition = compileDetection(ctx, detectionEntry.value);
  }
  if (problems.length > 0 || condition === undefined) {
    if (problems.length === 0) report(ctx, 'VIGIE_RULE_COMPILE', 'rule could not be compiled', doc.line); // defensive: never silent
    return { kind: 'problems', problems };
  }
  const ls: CompiledRule['logsource'] = { category: scope.category };
  if (logsource.product !== undefined) ls.product = logsource.product;
  if (logsource.service !== undefined) ls.service = logsource.service;
  return {
    kind: 'rule',
    rule: {
      id: meta.id ?? meta.title,
      title: meta.title,
      level: meta.level,
      status: meta.status,
      description: meta.description,
      author: meta.author,
      tags: meta.tags,
      references: meta.references,
      falsepositives: meta.falsepositives,
      logsource: ls,
      source: { file, line: doc.line },
      condition,
    },
  };
}
