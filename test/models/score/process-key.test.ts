import { describe, expect, it } from 'vitest';
import { processKey } from '../../../common/events.js';
import { readProcessKey } from '../../../models/score/process-key.js';

describe('readProcessKey', () => {
  const read = (key: string) => ({ ...readProcessKey(key, { pid: -1, start: -1 }) });

  it('inverts processKey() for what it renders', () => {
    const refs = [
      { pid: 4242, startTimeMs: 1736154612773 },
      { pid: 0, startTimeMs: 0 },
      { pid: 4294967295, startTimeMs: 9007199254740991 },
      { pid: 12, startTimeMs: 1.5 },
      { pid: 12, startTimeMs: 1e21 },
      {},
    ];
    for (const ref of refs) expect(read(processKey(ref))).toEqual({ pid: ref.pid ?? 0, start: ref.startTimeMs ?? 0 });
    expect(read(processKey(undefined))).toEqual({ pid: 0, start: 0 });
  });

  it('gives NaN parts for text processKey() never renders', () => {
    expect(read('implant')).toEqual({ pid: NaN, start: NaN });
    expect(read(':5')).toEqual({ pid: NaN, start: 5 });
  });
});
