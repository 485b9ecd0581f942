import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configReference } from '../../cli/config-doc.js';

describe('docs/CONFIG.md', () => {
  it('is what the schemas generate (regenerate: vigie config --doc > docs/CONFIG.md)', () => {
    const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'CONFIG.md'), 'utf8');
    expect(doc).toBe(configReference());
  });
});
