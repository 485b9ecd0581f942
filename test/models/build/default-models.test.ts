/** The default models that ship in models/default (rebuilt by `npm run models:build`). */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FEATURE_SCHEMA_VERSION, NETWORK_WIDTH, PROCESS_WIDTH } from '../../../models/features/index.js';
import { loadModel } from '../../../models/onnx/index.js';

const DIR = join(import.meta.dirname, '..', '..', '..', 'models', 'default');

describe('default models', () => {
  for (const [kind, width] of [['process', PROCESS_WIDTH], ['network', NETWORK_WIDTH]] as const) {
    it(`${kind}.onnx speaks this feature schema, says how it was made, and scores`, async () => {
      const m = await loadModel(join(DIR, `${kind}.onnx`), { expectedSchema: FEATURE_SCHEMA_VERSION });
      expect(m.ok).toBe(true);
      if (!m.ok) return;
      const { card } = m.value;
      expect(card).toMatchObject({ kind, name: `vigie-default-${kind}`, featureSchemaVersion: FEATURE_SCHEMA_VERSION });
      expect(card.featureNames).toHaveLength(width);
      expect(card.trainingData.sources[0]).toMatch(/^simulated:/);
      expect(card.trainingDataDigest).toMatch(/^[0-9a-f]{64}$/);
      expect(card.threshold).toBeGreaterThan(0);
      const rows = new Float32Array(width * 3).fill(0.5);
      const s = await m.value.score(rows, 3);
      // Identical rows score alike (to float32 rounding, which differs between SIMD lanes).
      expect(Math.abs(s[0]! - s[2]!) / s[2]!).toBeLessThan(1e-5);
      expect(s[0]).toBeGreaterThan(0);
      await m.value.close();
    });
  }
});
