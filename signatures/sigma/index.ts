/**
 * The Sigma rule compiler: Sigma YAML -> CompiledRule IR (ir.ts).
 *
 *   loadRuleSources(paths)  files, directories, .tar.gz archives -> RuleSource[]   (I/O)
 *   compileSigma(sources)   -> rules, problems, out-of-scope rules                 (pure)
 *
 * Per file: YAML documents (yaml-tree) -> collection actions resolved (collection) -> per rule:
 * logsource scope and metadata (metadata), detection and condition (detection, condition-parser),
 * values and modifiers (detection-item, modifiers, encodings, regex, cidr, to-test).
 * Every problem carries a code, the file and the line of the construct at fault; one bad rule
 * never stops the others.
 */
import type { VigieProblem } from '../../common/errors.js';
import type { CompiledRule } from '../ir.js';
import type { RuleSource } from './load.js';
import type { OutOfScope } from './compile-rule.js';
import { compileRule } from './compile-rule.js';
import { splitCollection } from './collection.js';
import { parseYamlDocs } from './yaml-tree.js';

export type { RuleSource } from './load.js';
export type { OutOfScope } from './compile-rule.js';
export { loadRuleSources } from './load.js';

export interface CompileOutcome {
  rules: CompiledRule[];
  problems: VigieProblem[];
  outOfScope: OutOfScope[];
}

export function compileSigma(sources: readonly RuleSource[]): CompileOutcome {
  const outcome: CompileOutcome = { rules: [], problems: [], outOfScope: [] };
  for (const { file, text } of sources) {
    const parsed = parseYamlDocs(file, text);
    outcome.problems.push(...parsed.problems);
    const collection = splitCollection(file, parsed.docs);
    outcome.problems.push(...collection.problems);
    for (const doc of collection.rules) {
      const r = compileRule(file, doc);
      if (r.kind === 'rule') outcome.rules.push(r.rule);
      else if (r.kind === 'out-of-scope') outcome.outOfScope.push(r.entry);
      else outcome.problems.push(...r.problems);
    }
  }
  return outcome;
}
