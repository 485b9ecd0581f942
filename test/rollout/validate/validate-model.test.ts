/**
 * Models through the whole validation: the engine's loader and fit check, then the corpus's
 * feature rows scored by candidate and current in a worker thread (real onnxruntime sessions).
 */
import { describe, expect, it } from 'vitest';
import { validateContent, type ValidationReport } from '../../../rollout/validate/index.js';
import { SMALL, defaultModelBytes, oneInputTooMany, withCard } from './fixtures.js';

const verdicts = (r: ValidationReport): Record<string, string> => Object.fromEntries(r.checks.map((c) => [c.name, c.verdict]));

describe('validateContent: models', () => {
  it.each(['process', 'network'] as const)('passes the default %s model against itself', async (kind) => {
    const r = await validateContent({ kind: 'model', payload: defaultModelBytes(kind), file: `${kind}.onnx` }, undefined, SMALL);
    expect(r.blocked).toBe(false);
    expect(verdicts(r)).toEqual({ bundle: 'warn', schema: 'pass', corpus: 'warn', load: 'pass', replay: 'pass', detections: 'pass', cpu: 'pass' });
    expect(r.bundle).toMatchObject({ kind: 'model', name: `vigie-default-${kind}`, version: '1.0.0' });
    const d = r.checks.find((c) => c.name === 'detections')!.metrics!;
    expect(d['candidate']).toBe(d['current']);
    expect(r.checks.find((c) => c.name === 'replay')!.metrics!['rows']).toBeGreaterThan(50);
  });

  it('blocks a model that expects one input more than the engine supplies, before any replay', async () => {
    const r = await validateContent({ kind: 'model', payload: oneInputTooMany(), file: 'wide.onnx' }, undefined, SMALL);
    expect(r.blocked).toBe(true);
    expect(r.checks.map((c) => [c.name, c.verdict, c.code])).toEqual([['bundle', 'warn', undefined], ['schema', 'block', 'VIGIE_MODEL_SCHEMA']]);
    expect(r.corpus.events).toBe(0);
  });

  it('blocks a model whose threshold makes it flag a large share of rows', async () => {
    const flood = withCard(defaultModelBytes('process'), (c) => { c.threshold /= 1000; c.version = '1.0.1'; });
    const r = await validateContent({ kind: 'model', payload: flood, file: 'flood.onnx' }, undefined, SMALL);
    expect(r.checks.filter((c) => c.verdict === 'block').map((c) => c.name)).toEqual(['detections']);
    const d = r.checks.find((c) => c.name === 'detections')!;
    expect(d.code).toBe('VIGIE_VALIDATION_BLOCKED');
    expect(d.metrics!['candidatePerThousand']).toBeGreaterThan(d.metrics!['limitPerThousand'] as number);
  });

  it('compares with the given current model, and warns rather than passes when it is not a model', async () => {
    const r = await validateContent({ kind: 'model', payload: defaultModelBytes('process'), file: 'p.onnx' }, { payload: new TextEncoder().encode('not onnx'), file: 'junk.onnx' }, SMALL);
    expect(r.blocked).toBe(false);
    expect(verdicts(r)).toMatchObject({ detections: 'warn', cpu: 'warn' });
    expect(r.checks.find((c) => c.name === 'detections')!.detail).toMatch(/current model did not load/);
  });
});
