import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeContent, PACK_FIELD_SCHEMA } from '../../../rollout/bundle/index.js';
import { FEATURE_SCHEMA_VERSION } from '../../../models/features/layout.js';
import { defaultPack, packText } from '../../../signatures/pack/index.js';

describe('describeContent', () => {
  it('reads name and version from a signature pack, with the field schema', () => {
    const pack = defaultPack(Date.parse('2025-01-01T00:00:00Z'));
    const d = describeContent('signatures', new TextEncoder().encode(packText(pack)), 'pack.json');
    expect(d).toEqual({ ok: true, value: { kind: 'signatures', name: pack.name, version: pack.version, featureSchema: PACK_FIELD_SCHEMA } });
  });

  it('reads name, version and feature schema from the shipped model card without a session', () => {
    const file = new URL('../../../models/default/process.onnx', import.meta.url);
    const d = describeContent('model', readFileSync(file), 'process.onnx');
    expect(d).toEqual({ ok: true, value: { kind: 'model', name: 'vigie-default-process', version: expect.stringMatching(/^\d+\.\d+\.\d+/), featureSchema: FEATURE_SCHEMA_VERSION } });
  });

  it('names the problems of content that is not what --kind says', () => {
    const notPack = describeContent('signatures', new TextEncoder().encode('{"format":"x"}'), 'p.json');
    expect(notPack.ok).toBe(false);
    if (!notPack.ok) expect(notPack.problems[0]).toMatchObject({ code: 'VIGIE_PACK_INVALID', location: { file: 'p.json' } });
    const notModel = describeContent('model', new TextEncoder().encode('{"rules":[]}'), 'm.onnx');
    expect(notModel).toMatchObject({ ok: false, problems: [{ code: 'VIGIE_MODEL_INVALID', location: { file: 'm.onnx' } }] });
    const binary = describeContent('signatures', new Uint8Array([0xff, 0xfe, 0x00]), 'p.json');
    expect(binary).toMatchObject({ ok: false, problems: [{ code: 'VIGIE_PACK_INVALID' }] });
  });
});
