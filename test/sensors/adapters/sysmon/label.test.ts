import { describe, expect, it } from 'vitest';
import { labelOf } from '../../../../sensors/adapters/sysmon/label.js';

describe('ground-truth labels', () => {
  const dataset = { id: 'SDWIN-1', attack: ['T1003.001', 'T1055'] };

  it('follows the shared datasets convention: _label.event, technique ids from _dataset.attack', () => {
    expect(labelOf({ _label: { dataset: 'attack', event: 'malicious' }, _dataset: dataset })).toBe('T1003.001,T1055');
    expect(labelOf({ _label: { dataset: 'attack', event: 'benign_or_unlabelled' }, _dataset: dataset })).toBe('');
  });

  it('ignores the dataset-level verdict and falls back to the dataset id, then "malicious"', () => {
    expect(labelOf({ _label: { dataset: 'attack' }, _dataset: dataset })).toBe('');
    expect(labelOf({ _label: { event: 'malicious' }, _dataset: { id: 'SDWIN-2', attack: [] } })).toBe('SDWIN-2');
    expect(labelOf({ _label: { event: 'malicious' } })).toBe('malicious');
  });

  it('accepts a plain string label and other names as they are', () => {
    expect(labelOf({ _label: 'benign' })).toBe('');
    expect(labelOf({ _label: 'credential-dump' })).toBe('credential-dump');
    expect(labelOf({ _label: { event: 'lateral-movement' } })).toBe('lateral-movement');
    expect(labelOf({})).toBe('');
  });
});
