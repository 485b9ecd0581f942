import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Result } from '../../../common/errors.js';
import { MODEL_CARD_KEY } from '../../../models/model-card.js';
import { exportAutoencoder, loadModel } from '../../../models/onnx/index.js';
import type { LoadedModel } from '../../../models/onnx/index.js';
import { onnx } from '../../../proto/gen/onnx.js';
import { tempDir } from '../../helpers/fixtures.js';
import { SCHEMA, makeCard, makeWeights, rng } from './autoencoder-fixture.js';

const weights = makeWeights([6, 3, 6], ['relu', 'linear']);
const good = exportAutoencoder(weights, makeCard(6));
const dir = tempDir('onnx-load');
afterAll(() => dir.remove());

/** The exported model, decoded, changed by `edit`, and encoded again. */
function edited(edit: (m: onnx.ModelProto, graph: onnx.GraphProto) => void): Uint8Array {
  const m = onnx.ModelProto.decode(good);
  edit(m, m.graph as onnx.GraphProto); // decode builds GraphProto instances; the field is typed as the interface
  return onnx.ModelProto.encode(m).finish();
}

function withCardJson(json: string): Uint8Array {
  return edited((m) => { m.metadataProps = [{ key: MODEL_CARD_KEY, value: json }]; });
}

async function refused(bytes: Uint8Array | string, expectedSchema = SCHEMA): Promise<Extract<Result<LoadedModel>, { ok: false }>['error']> {
  const r = await loadModel(bytes, { expectedSchema, source: 'test.onnx' });
  if (r.ok) {
    await r.value.close();
    throw new Error('the model was accepted');
  }
  return r.error;
}

describe('loadModel', () => {
  it('loads from a path and names the card and width', async () => {
    const path = join(dir.path, 'model.onnx');
    writeFileSync(path, good);
    const r = await loadModel(path, { expectedSchema: SCHEMA });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.width).toBe(6);
    expect(r.value.card.name).toBe('test-autoencoder');
    await r.value.close();
  });

  it('refuses another feature schema with VIGIE_MODEL_SCHEMA naming both versions', async () => {
    const e = await refused(good, 'vigie.features/2');
    expect(e.code).toBe('VIGIE_MODEL_SCHEMA');
    expect(e.message).toContain("'vigie.features/1'");
    expect(e.message).toContain("'vigie.features/2'");
    expect(e.location).toEqual({ file: 'test.onnx', field: 'featureSchemaVersion' });
  });

  it('refuses a missing file with VIGIE_MODEL_INVALID located at the path', async () => {
    const path = join(dir.path, 'absent.onnx');
    const e = await refused(path);
    expect(e.code).toBe('VIGIE_MODEL_INVALID');
    expect(e.location?.file).toBe(path);
  });

  it('refuses truncated files at every cut without throwing', async () => {
    const step = Math.max(1, Math.floor(good.length / 97));
    for (let cut = 0; cut < good.length; cut += step) {
      const e = await refused(good.subarray(0, cut));
      expect(e.code, `cut at ${cut}`).toBe('VIGIE_MODEL_INVALID');
      expect(e.location?.file).toBe('test.onnx');
    }
  });

  it('refuses random bytes, and a file with a byte flipped is refused or still a valid model', async () => {
    const next = rng(99);
    for (let i = 0; i < 50; i++) {
      const bytes = Uint8Array.from({ length: 16 + Math.floor(next() * 2000) }, () => Math.floor(next() * 256));
      expect((await refused(bytes)).code).toBe('VIGIE_MODEL_INVALID');
    }
    for (let i = 0; i < 50; i++) {
      const bytes = good.slice();
      const at = Math.floor(next() * bytes.length);
      bytes[at] = bytes[at]! ^ 0xff;
      const r = await loadModel(bytes, { expectedSchema: SCHEMA });
      if (r.ok) await r.value.close();
      else expect(['VIGIE_MODEL_INVALID', 'VIGIE_MODEL_SCHEMA']).toContain(r.error.code);
    }
  });

  it('refuses a valid ONNX model without its card', async () => {
    const e = await refused(edited((m) => { m.metadataProps = []; }));
    expect(e.code).toBe('VIGIE_MODEL_INVALID');
    expect(e.location?.field).toBe(MODEL_CARD_KEY);
    expect(e.message).toMatch(/no model card/);
  });

  it('refuses a card that is not JSON, or lacks fields, naming every field', async () => {
    expect((await refused(withCardJson('{"format": '))).message).toMatch(/not valid JSON/);
    const { featureNames: _n, threshold: _t, ...partial } = makeCard(6);
    const e = await refused(withCardJson(JSON.stringify({ ...partial, kind: 'disk' })));
    expect(e.code).toBe('VIGIE_MODEL_INVALID');
    expect(e.location?.field).toBe('kind');
    expect(e.message).toMatch(/3 problems/);
    expect(e.message).toMatch(/featureNames is missing/);
    expect(e.message).toMatch(/threshold is missing/);
  });

  it('refuses a card whose feature count does not match the graph', async () => {
    const e = await refused(withCardJson(JSON.stringify(makeCard(7))));
    expect(e.code).toBe('VIGIE_MODEL_INVALID');
    expect(e.location?.field).toBe('graph.input');
    expect(e.message).toMatch(/dimension 1 must be 7/);
    expect(e.message).toMatch(/2 problems/); // the input and the contributions output
  });

  it('refuses other input or output names', async () => {
    const e = await refused(edited((_m, g) => { g.output = g.output.filter((o) => o.name !== 'score'); }));
    expect(e.location?.field).toBe('graph.output');
    const renamed = await refused(edited((_m, g) => { g.input[0]!.name = 'rows'; }));
    expect(renamed.message).toMatch(/exactly one input 'features'/);
  });

  it('refuses tensors kept in an external file', async () => {
    const e = await refused(edited((_m, g) => {
      const t = g.initializer[0]!;
      t.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
      t.externalData = [{ key: 'location', value: '/etc/passwd' }];
    }));
    expect(e.location?.field).toBe('graph.initializer[0]');
  });

  it('maps an onnxruntime refusal (a graph that passes our checks) to VIGIE_MODEL_INVALID', async () => {
    const e = await refused(edited((_m, g) => { g.node[2]!.opType = 'NoSuchOp'; }));
    expect(e.code).toBe('VIGIE_MODEL_INVALID');
    expect(e.message).toMatch(/onnxruntime refused the model/);
  });
});
