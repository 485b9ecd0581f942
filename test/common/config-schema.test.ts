import { describe, expect, it } from 'vitest';
import { describeSchema, parseConfig } from '../../common/config/schema.js';
import { engineConfigSchema } from '../../engine/config.js';

describe('config schema', () => {
  it('fills defaults and freezes', () => {
    const r = parseConfig(engineConfigSchema, { endpoint: 'tcp://127.0.0.1:0' }, 'test');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.endpoint).toBe('tcp://127.0.0.1:0');
    expect(r.value.maxPendingBatches).toBe(512);
    expect(Object.isFrozen(r.value)).toBe(true);
  });
  it('reports every problem: unknown keys, wrong types, out of range', () => {
    const r = parseConfig(engineConfigSchema, { endpont: 'x', maxFrameBytes: 'big', maxPendingBatches: 0 }, 'vigie.json');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('VIGIE_CONFIG_INVALID');
    expect(r.error.message).toContain('unknown key "endpont"');
    expect(r.error.message).toContain('"maxFrameBytes" must be a number');
    expect(r.error.message).toContain('"maxPendingBatches" must be at least 1');
    expect(r.error.location?.file).toBe('vigie.json');
  });
  it('renders a reference table', () => {
    const md = describeSchema('engine', engineConfigSchema);
    expect(md).toContain('| `endpoint` | string | "tcp://127.0.0.1:7470" |');
  });
});
