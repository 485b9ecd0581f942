/**
 * The fields a pack reads against the fields the sensor supplies (schema vigie.fields/1: which
 * field each event kind carries, signatures/fields/vigie-fields.ts). The sensor's matcher reads a
 * field its events do not carry as '' and the rule silently never fires (or fires on absence):
 * content written for a template the sensor does not fill is the July 2024 bug, so it blocks here
 * even though the sensor would load it.
 */
import type { VigieProblem } from '../../common/errors.js';
import { fieldApplies, isVigieField } from '../../signatures/fields/vigie-fields.js';
import type { CompiledRule, Node } from '../../signatures/ir.js';
import type { SignaturePack } from '../../signatures/pack/index.js';
import { PACK_FIELD_SCHEMA } from '../bundle/schemas.js';

export interface FieldUse {
  field: string;
  /** Where in the rule's condition, e.g. "condition.args[1]" or "condition.args[0].test.other". */
  path: string;
}

/** Every field a condition reads (field nodes and the other side of fieldref tests). */
export function fieldsRead(node: Node, path = 'condition', out: FieldUse[] = []): FieldUse[] {
  switch (node.op) {
    case 'and':
    case 'or':
      node.args.forEach((a, i) => fieldsRead(a, `${path}.args[${i}]`, out));
      break;
    case 'not':
      fieldsRead(node.arg, `${path}.arg`, out);
      break;
    case 'field':
      out.push({ field: node.field, path });
      if (node.test.t === 'fieldref') out.push({ field: node.test.other, path: `${path}.test.other` });
      break;
    default:
  }
  return out;
}

/** VIGIE_BUNDLE_INCOMPATIBLE for each field a rule reads that its events never carry. */
export function unsuppliedFields(pack: SignaturePack, file: string): VigieProblem[] {
  const problems: VigieProblem[] = [];
  for (const rule of pack.rules) problems.push(...ruleProblems(rule, file));
  return problems;
}

function ruleProblems(rule: CompiledRule, file: string): VigieProblem[] {
  const category = rule.logsource.category;
  const out: VigieProblem[] = [];
  for (const use of fieldsRead(rule.condition)) {
    // Unknown names are validatePack's to report (VIGIE_PACK_INVALID); here only known ones.
    if (!isVigieField(use.field) || fieldApplies(use.field, category)) continue;
    out.push({
      code: 'VIGIE_BUNDLE_INCOMPATIBLE',
      message: `rule ${rule.id} (${rule.source.file}:${rule.source.line}, ${category}) reads ${use.field} at ${use.path}; the sensor does not supply ${use.field} on ${category} events (${PACK_FIELD_SCHEMA})`,
      location: { file, field: use.field },
    });
  }
  return out;
}
