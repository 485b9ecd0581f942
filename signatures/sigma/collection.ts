/**
 * Sigma rule collections: several YAML documents in one file, linked by `action`.
 *
 * - `action: global`: the document is not a rule; it is merged into every following document
 *   (a later global document is merged into the current global part).
 * - `action: reset`: forget the global part.
 * - `action: repeat`: a new rule made of the previous rule with this document merged over it.
 * - no action: a rule, the global part merged under it.
 *
 * Merging is a deep merge of maps: where both sides hold a map under the same key, the maps merge;
 * otherwise the rule document's value wins. Entries keep their own lines, so a problem in a merged
 * global key still points at the global document.
 */
import type { VigieProblem } from '../../common/errors.js';
import type { YDoc, YEntry, YNode } from './yaml-tree.js';
import { entry, scalarText } from './yaml-tree.js';

export interface RuleDoc {
  /** Line of the document that makes this rule (the `repeat` document for repeated rules). */
  line: number;
  root: Extract<YNode, { kind: 'map' }>;
}

export interface SplitCollection {
  rules: RuleDoc[];
  problems: VigieProblem[];
}

type MapNode = Extract<YNode, { kind: 'map' }>;

export function splitCollection(file: string, docs: readonly YDoc[]): SplitCollection {
  const rules: RuleDoc[] = [];
  const problems: VigieProblem[] = [];
  let global: MapNode | undefined;
  let previous: RuleDoc | undefined;
  for (const doc of docs) {
    if (doc.root === null) continue; // an empty document (e.g. a trailing `---`)
    if (doc.root.kind !== 'map') {
      problems.push({ code: 'VIGIE_RULE_PARSE', message: 'a Sigma document must be a YAML map', location: { file, line: doc.line } });
      continue;
    }
    const action = entry(doc.root, 'action');
    const body = withoutKey(doc.root, 'action');
    if (action === undefined) {
      previous = { line: doc.line, root: global ? mergeMaps(global, body) : body };
      rules.push(previous);
      continue;
    }
    switch (scalarText(action.value)) {
      case 'global':
        global = global ? mergeMaps(global, body) : body;
        break;
      case 'reset':
        global = undefined;
        break;
      case 'repeat':
        if (previous === undefined) {
          problems.push({ code: 'VIGIE_RULE_PARSE', message: 'action: repeat with no rule before it', location: { file, line: action.line } });
          break;
        }
        previous = { line: doc.line, root: mergeMaps(previous.root, body) };
        rules.push(previous);
        break;
      default:
        problems.push({
          code: 'VIGIE_RULE_PARSE',
          message: `unknown collection action '${scalarText(action.value) ?? ''}' (expected global, reset or repeat)`,
          location: { file, line: action.line },
        });
    }
  }
  return { rules, problems };
}

function withoutKey(map: MapNode, key: string): MapNode {
  return { kind: 'map', line: map.line, entries: map.entries.filter((e) => e.key !== key) };
}

/** `over` merged onto `base`: a new map, neither input changed. */
export function mergeMaps(base: MapNode, over: MapNode): MapNode {
  const entries: YEntry[] = base.entries.map((e) => ({ ...e }));
  for (const e of over.entries) {
    const i = entries.findIndex((b) => b.key === e.key);
    const existing = i >= 0 ? entries[i] : undefined;
    if (existing === undefined) {
      entries.push(e);
    } else if (existing.value.kind === 'map' && e.value.kind === 'map') {
      entries[i] = { key: e.key, line: e.line, value: mergeMaps(existing.value, e.value) };
    } else {
      entries[i] = e;
    }
  }
  return { kind: 'map', line: over.line, entries };
}
