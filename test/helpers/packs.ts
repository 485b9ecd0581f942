/** Hand-built signature packs (IR written directly), so sensor and engine tests need no compiler. */
import type { CompiledRule, Node } from '../../signatures/ir.js';
import { PACK_FORMAT, type SignaturePack } from '../../signatures/pack/format.js';

export function irRule(id: string, condition: Node, over: Partial<CompiledRule> = {}): CompiledRule {
  return {
    id, title: `rule ${id}`, level: 'high', status: 'test', description: '', author: 'test', tags: ['attack.t1059'],
    references: [], falsepositives: [], logsource: { category: 'process_creation' }, source: { file: `${id}.yml`, line: 1 },
    condition, ...over,
  };
}

export function pack(version: string, rules: CompiledRule[]): SignaturePack {
  return { format: PACK_FORMAT, name: 'test', version, created: new Date(0).toISOString(), compiler: 'test', rules };
}

/** Fires on command lines containing `word`. */
export function containsRule(id: string, word: string): CompiledRule {
  return irRule(id, { op: 'field', field: 'process.command_line', test: { t: 'str', mode: 'contains', value: word, cased: false } });
}

/** A regex that backtracks catastrophically on a run of "a" then "bc" (the "b" gets past the literal guard). */
export function loopingRule(id: string): CompiledRule {
  return irRule(id, { op: 'field', field: 'process.command_line', test: { t: 're', source: '^(?:(?:a*)*)*b$', flags: '' } });
}

/** A regex that makes V8 throw (RangeError: stack overflow) on a few million "a". */
export function throwingRule(id: string): CompiledRule {
  return irRule(id, { op: 'field', field: 'process.command_line', test: { t: 're', source: '^(?:(a)|b)*$', flags: '' } });
}
