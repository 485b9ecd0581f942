/**
 * What the validation tests share: small corpora and limits (a few thousand events, a 300 ms
 * budget) so each run takes about a second, pack and model bytes, and bad content made the way
 * the sensor and model tests make it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { exportAutoencoder } from '../../../models/onnx/index.js';
import { FEATURE_LAYOUTS } from '../../../models/features/index.js';
import { MODEL_CARD_KEY, type ModelCard } from '../../../models/model-card.js';
import { onnx } from '../../../proto/gen/onnx.js';
import type { CompiledRule } from '../../../signatures/ir.js';
import { packText, type SignaturePack } from '../../../signatures/pack/index.js';
import type { ValidateOptions } from '../../../rollout/validate/index.js';
import { irRule } from '../../helpers/packs.js';
import { makeCard, makeWeights } from '../../models/onnx/autoencoder-fixture.js';

export const SMALL: Partial<ValidateOptions> = Object.freeze({
  maxEvents: 2500,
  simulated: { hosts: 4, hours: 1, startHour: 9 },
  budgetMs: 300,
  fuzz: 150,
  seed: 7,
  timeLimitMs: 60_000,
});

export const packBytes = (p: SignaturePack): Uint8Array => new TextEncoder().encode(packText(p));

/** Fires on every Windows process start: a flood. */
export function floodRule(id: string): CompiledRule {
  return irRule(id, { op: 'field', field: 'process.image', test: { t: 'str', mode: 'contains', value: '\\', cased: false } });
}

/** A process_creation rule reading a network field: loads on a sensor, never reads anything. */
export function unsuppliedFieldRule(id: string): CompiledRule {
  return irRule(id, {
    op: 'and',
    args: [
      { op: 'field', field: 'process.image', test: { t: 'str', mode: 'endswith', value: '\\powershell.exe', cased: false } },
      { op: 'field', field: 'network.destination_port', test: { t: 'num', cmp: 'eq', value: 443 } },
    ],
  });
}

/**
 * Keyword regexes that no literal and no run of one class can guard: each is run on every string
 * field of every event long enough for it (32 characters: command lines, paths, hashes), and
 * (alternating digits and letters) practically never matches.
 */
export function heavyRules(n: number): CompiledRule[] {
  return Array.from({ length: n }, (_, i) => irRule(`heavy-${i}`, { op: 'keyword', test: { t: 're', source: `(?:\\d[a-z]|[a-z]\\d){${16 + i}}`, flags: '' } }));
}

export function defaultModelBytes(kind: 'process' | 'network'): Uint8Array {
  return readFileSync(fileURLToPath(new URL(`../../../models/default/${kind}.onnx`, import.meta.url)));
}

/** The same ONNX graph with its model card changed (threshold, schema version...). */
export function withCard(bytes: Uint8Array, change: (card: ModelCard) => void): Uint8Array {
  const m = onnx.ModelProto.decode(bytes);
  const prop = m.metadataProps.find((p) => p.key === MODEL_CARD_KEY)!;
  const card = JSON.parse(prop.value!) as ModelCard;
  change(card);
  prop.value = JSON.stringify(card);
  return onnx.ModelProto.encode(m).finish();
}

/** A process model exported by models/onnx with the engine's feature names plus one more. */
export function oneInputTooMany(): Uint8Array {
  const names = [...FEATURE_LAYOUTS.process.names, 'process.extra_template_field'];
  const w = makeWeights([names.length, 8, names.length], ['relu', 'linear']);
  return exportAutoencoder(w, makeCard(names.length, { featureNames: names, name: 'too-wide', version: '2.0.0' }));
}
