/**
 * Schema and compile checks of a signature pack, with the sensor's own code: the pack is parsed
 * and validated by signatures/pack (what the sensor's loader runs on a pack file), its fields are
 * checked against what the sensor supplies (pack-fields.ts), and its rules are compiled by
 * buildRuleSet, the very call the sensor's signature worker makes on load (pack-worker.ts).
 * The real worker load comes later, in the replay (pack-runner.ts).
 */
import type { VigieProblem } from '../../common/errors.js';
import { buildRuleSet } from '../../signatures/match/index.js';
import { parsePack, type SignaturePack } from '../../signatures/pack/index.js';
import { unsuppliedFields } from './pack-fields.js';
import { blockAll, pass, warn, type Check } from './report.js';

export interface PackSchema {
  /** Set when the pack parsed (even with schema problems: later checks may still say more). */
  pack?: SignaturePack;
  checks: Check[];
}

/** Pack bytes as the sensor would read them: UTF-8 JSON. */
export function decodePackText(payload: Uint8Array, file: string): { ok: true; text: string } | { ok: false; problems: VigieProblem[] } {
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(payload) };
  } catch {
    return { ok: false, problems: [{ code: 'VIGIE_PACK_INVALID', message: 'the pack is not valid UTF-8 text', location: { file } }] };
  }
}

export function checkPackSchema(payload: Uint8Array, file: string): PackSchema {
  const text = decodePackText(payload, file);
  if (!text.ok) return { checks: [blockAll('schema', text.problems, 'the pack does not parse'), notRun('compile')] };
  const parsed = parsePack(text.text, file);
  if (!parsed.ok) return { checks: [blockAll('schema', parsed.problems, 'the pack does not follow the pack format'), notRun('compile')] };
  const pack = parsed.value;
  const fields = unsuppliedFields(pack, file);
  const schema = fields.length > 0
    ? blockAll('schema', fields, 'the pack reads fields the sensor does not supply')
    : pass('schema', `${pack.rules.length} rules, every field read is one the sensor supplies`, { rules: pack.rules.length });
  const built = buildRuleSet(pack.rules);
  const compile = built.ok
    ? pass('compile', `${pack.rules.length} rules compile with the sensor's matcher`, categoryMetrics(pack))
    : blockAll('compile', built.problems, 'rules do not compile with the sensor\'s matcher');
  return { pack, checks: [schema, compile] };
}

function notRun(name: string): Check {
  return warn(name, 'not run: the pack did not parse');
}

function categoryMetrics(pack: SignaturePack): Record<string, number> {
  const m: Record<string, number> = {};
  for (const r of pack.rules) m[r.logsource.category] = (m[r.logsource.category] ?? 0) + 1;
  return m;
}
