/** IR rules and events written by hand for the matcher's tests. */
import { Direction, Protocol } from '../../../common/events.js';
import type { Event } from '../../../common/events.js';
import type { VigieField } from '../../../signatures/fields/vigie-fields.js';
import type { CompiledRule, Node, RuleCategory, StringMode, Test } from '../../../signatures/ir.js';
import { buildRuleSet } from '../../../signatures/match/index.js';
import type { RuleSet, RuleSetOptions } from '../../../signatures/match/index.js';

export function rule(id: string, condition: Node, category: RuleCategory = 'process_creation'): CompiledRule {
  return {
    id, title: `rule ${id}`, level: 'high', status: 'test', description: '', author: 'test', tags: [], references: [],
    falsepositives: [], logsource: { category }, source: { file: `${id}.yml`, line: 3 }, condition,
  };
}

export const field = (f: VigieField, test: Test): Node => ({ op: 'field', field: f, test });
export const str = (f: VigieField, mode: StringMode, value: string, cased = false): Node =>
  field(f, { t: 'str', mode, value, cased });
export const and = (...args: Node[]): Node => ({ op: 'and', args });
export const or = (...args: Node[]): Node => ({ op: 'or', args });
export const not = (arg: Node): Node => ({ op: 'not', arg });

export function proc(over: Partial<NonNullable<Event['processStart']>> = {}, host = 'WS-01'): Event {
  return {
    host,
    processStart: {
      process: { pid: 100, startTimeMs: 1 }, parent: { pid: 4, startTimeMs: 0 },
      image: 'C:\\Windows\\System32\\cmd.exe', commandLine: 'cmd.exe /c whoami', cwd: 'C:\\', user: 'CORP\\bob',
      parentImage: 'C:\\Windows\\explorer.exe', parentCommandLine: 'explorer.exe', integrityLevel: 'Medium',
      hashes: '', guid: '', parentGuid: '', logonId: '', originalFileName: 'Cmd.Exe', description: '', product: '',
      company: '', fileVersion: '', parentUser: '',
      ...over,
    },
  };
}

export function conn(remoteAddress: string, remotePort = 443, direction: number = Direction.DIRECTION_OUTBOUND): Event {
  return {
    host: 'h',
    network: {
      process: { pid: 9 }, image: '/usr/bin/curl', direction, protocol: Protocol.PROTOCOL_TCP,
      localAddress: '10.0.0.5', localPort: 50000, remoteAddress, remotePort, remoteHostname: 'example.com',
    },
  };
}

export function built(rules: CompiledRule[], options?: RuleSetOptions): RuleSet {
  const r = buildRuleSet(rules, options);
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('\n'));
  return r.value;
}

/** Whether one rule with `condition` matches `event`, checked in both modes (they must agree). */
export function matches(condition: Node, event: Event, category?: RuleCategory): boolean {
  const rules = [rule('r', condition, category)];
  const fast = built(rules).match([event]).length === 1;
  const naive = built(rules, { prefilter: false }).match([event]).length === 1;
  if (fast !== naive) throw new Error(`prefilter (${fast}) and naive (${naive}) disagree`);
  return fast;
}
