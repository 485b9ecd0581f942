/**
 * Compiling Sigma rule sources into a pack (`vigie rules compile`): the rules that compile go in;
 * every problem is returned beside it, so the caller decides whether a partial pack is acceptable
 * (the CLI refuses to write one unless told to).
 */
import type { VigieProblem } from '../../common/errors.js';
import { compileSigma, loadRuleSources, type OutOfScope } from '../sigma/index.js';
import { PACK_FORMAT, type SignaturePack } from './format.js';

export const COMPILER_VERSION = '0.1.0';

export interface PackBuild {
  pack: SignaturePack;
  problems: VigieProblem[];
  outOfScope: OutOfScope[];
  /** Rule files read. */
  files: number;
}

export type PackBuildResult = { ok: true; value: PackBuild } | { ok: false; problems: VigieProblem[] };

export function buildPack(paths: readonly string[], meta: { name: string; version: string; nowMs?: number }): PackBuildResult {
  const sources = loadRuleSources(paths);
  if (!sources.ok) return { ok: false, problems: [sources.error] };
  const compiled = compileSigma(sources.value);
  // Stable order (by id) so two compiles of the same rules give the same pack apart from `created`.
  const rules = [...compiled.rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const dupes = new Set<string>();
  const problems = [...compiled.problems];
  for (let i = 1; i < rules.length; i++) {
    if (rules[i]!.id === rules[i - 1]!.id && !dupes.has(rules[i]!.id)) {
      dupes.add(rules[i]!.id);
      problems.push({ code: 'VIGIE_RULE_PARSE', message: `rule id ${rules[i]!.id} is used by more than one rule`, location: { ...rules[i]!.source, field: rules[i]!.id } });
    }
  }
  return {
    ok: true,
    value: {
      pack: {
        format: PACK_FORMAT,
        name: meta.name,
        version: meta.version,
        created: new Date(meta.nowMs ?? Date.now()).toISOString(),
        compiler: COMPILER_VERSION,
        rules: rules.filter((r, i) => i === 0 || r.id !== rules[i - 1]!.id),
      },
      problems,
      outOfScope: compiled.outOfScope,
      files: sources.value.length,
    },
  };
}
