/**
 * The content a simulated rollout ships: real signed bundles of real (small) signature packs.
 * The base version the fleet runs, and the candidate, which carries the fault when the fault is
 * in the bundle itself: signed by a key the root does not know (bad-signature), or with a rule
 * on a field the sensor does not supply (schema-mismatch: the 21st field of July 2024).
 */
import { createBundle } from '../bundle/index.js';
import { PACK_FIELD_SCHEMA } from '../bundle/content.js';
import { generateKeyPair, type KeyPair } from '../trust/index.js';
import { PACK_FORMAT, type SignaturePack } from '../../signatures/pack/format.js';
import type { CompiledRule } from '../../signatures/ir.js';
import type { FaultKind } from './faults.js';

export const SIM_PACK_NAME = 'vigie-sim';
export const BASE_VERSION = '1.0.0';
export const CANDIDATE_VERSION = '1.1.0';

function rule(id: string, field: string, value: string): CompiledRule {
  return {
    id, title: `sim rule ${id}`, level: 'high', status: 'test', description: '', author: 'vigie rollout simulate', tags: ['attack.execution'],
    references: [], falsepositives: [], logsource: { category: 'process_creation' }, source: { file: `${id}.yml`, line: 1 },
    // The field is a plain string on purpose: schema-mismatch names one the sensor lacks.
    condition: { op: 'field', field: field as 'process.command_line', test: { t: 'str', mode: 'contains', value, cased: false } },
  };
}

function packBytes(version: string, rules: CompiledRule[], createdIso: string): Uint8Array {
  const pack: SignaturePack = { format: PACK_FORMAT, name: SIM_PACK_NAME, version, created: createdIso, compiler: 'vigie-sim', rules };
  return new TextEncoder().encode(JSON.stringify(pack));
}

export interface SimBundles {
  base: Uint8Array;
  candidate: Uint8Array;
}

export function simBundles(fault: FaultKind, releaseKeys: KeyPair[], createdIso: string): SimBundles {
  const common = { kind: 'signatures' as const, name: SIM_PACK_NAME, featureSchema: PACK_FIELD_SCHEMA, sensorRange: '>=0.1.0 <1.0.0', engineRange: '>=0.1.0 <1.0.0', expiresInDays: 30, created: createdIso };
  const baseRules = [rule('sim-1', 'process.command_line', '-encodedcommand'), rule('sim-2', 'process.image', '\\mimikatz.exe')];
  const candidateRules = [...baseRules, rule('sim-3', fault === 'schema-mismatch' ? 'process.integrity_token' : 'process.command_line', 'vssadmin delete shadows')];
  const base = createBundle({ ...common, version: BASE_VERSION, payload: packBytes(BASE_VERSION, baseRules, createdIso) }, releaseKeys);
  const signer = fault === 'bad-signature' ? [generateKeyPair()] : releaseKeys;
  const candidate = createBundle({ ...common, version: CANDIDATE_VERSION, payload: packBytes(CANDIDATE_VERSION, candidateRules, createdIso) }, signer);
  return { base, candidate };
}
