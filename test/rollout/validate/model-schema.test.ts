/**
 * Schema checks of models with the engine's own loader and fit check: a model that expects one
 * input more than the engine writes, or another feature schema, blocks; the default models pass.
 */
import { describe, expect, it } from 'vitest';
import { checkModelSchema } from '../../../rollout/validate/model-schema.js';
import { defaultModelBytes, oneInputTooMany, withCard } from './fixtures.js';

describe('model schema checks', () => {
  it.each(['process', 'network'] as const)('passes the default %s model', (kind) => {
    const out = checkModelSchema(defaultModelBytes(kind), `${kind}.onnx`);
    expect(out.checks).toHaveLength(1);
    expect(out.checks[0]).toMatchObject({ name: 'schema', verdict: 'pass' });
    expect(out.card?.kind).toBe(kind);
  });

  it('blocks a model with one input more than the engine supplies', () => {
    const out = checkModelSchema(oneInputTooMany(), 'wide.onnx');
    expect(out.checks[0]).toMatchObject({ name: 'schema', verdict: 'block', code: 'VIGIE_MODEL_SCHEMA' });
    expect(out.checks[0]!.problems![0]).toMatchObject({ location: { file: 'wide.onnx', field: 'featureNames' } });
    expect(out.checks[0]!.detail).toMatch(/40 vs 39 features/);
  });

  it('blocks a model trained on another feature schema, and columns in another order', () => {
    const v2 = checkModelSchema(withCard(defaultModelBytes('process'), (c) => { c.featureSchemaVersion = 'vigie.features/2'; }), 'v2.onnx');
    expect(v2.checks[0]).toMatchObject({ verdict: 'block', code: 'VIGIE_MODEL_SCHEMA' });
    const swapped = checkModelSchema(withCard(defaultModelBytes('process'), (c) => { c.featureNames = [c.featureNames[1]!, c.featureNames[0]!, ...c.featureNames.slice(2)]; }), 'swap.onnx');
    expect(swapped.checks[0]).toMatchObject({ verdict: 'block', code: 'VIGIE_MODEL_SCHEMA' });
    expect(swapped.checks[0]!.detail).toMatch(/feature 0/);
  });

  it('blocks bytes that are not a model', () => {
    expect(checkModelSchema(new TextEncoder().encode('{"format":"x"}'), 'x.onnx').checks[0]).toMatchObject({ verdict: 'block', code: 'VIGIE_MODEL_INVALID' });
  });
});
