import { describe, expect, it } from 'vitest';
import { decodeHead, encodeHead, HEADER_BYTES, metaProblems, parseFixed, parseSegmentName, segmentName } from '../../../engine/archive/format.js';
import type { BatchMeta } from '../../../engine/archive/index.js';

const meta: BatchMeta = {
  sensorId: 'capteur-mairie-é',
  tenant: 'ville-b',
  seq: 2 ** 53 - 1,
  firstUnackedSeq: 2 ** 32 + 5,
  events: 500,
  receivedMs: 1_760_000_123_456,
};
const body = Buffer.from('compressed body bytes');

describe('archive record format', () => {
  it('round-trips a header with UTF-8 names and 53-bit integers', () => {
    const head = encodeHead(meta, body, 65_536);
    expect(head.length).toBe(HEADER_BYTES + Buffer.byteLength(meta.sensorId) + Buffer.byteLength(meta.tenant));
    const h = decodeHead(Buffer.concat([head, body]))!;
    expect(h.meta).toEqual(meta);
    expect(h).toMatchObject({ bodyLength: body.length, rawLength: 65_536, headLength: head.length, recordLength: head.length + body.length });
    expect(head.subarray(0, 4).toString()).toBe('VIGA');
  });

  it('rejects a header whose bytes changed, and says why for the fixed part', () => {
    const head = encodeHead(meta, body, 10);
    for (const at of [6, 13, 24, 45, HEADER_BYTES + 2]) {
      const bad = Buffer.from(head);
      bad[at] = bad[at]! ^ 1;
      expect(decodeHead(bad), `byte ${at}`).toBeUndefined();
    }
    const magic = Buffer.from(head);
    magic[0] = 0;
    expect(parseFixed(magic)).toEqual({ ok: false, reason: 'bad magic' });
    const version = Buffer.from(head);
    version[4] = 9;
    expect(parseFixed(version)).toEqual({ ok: false, reason: 'unknown version 9' });
    expect(parseFixed(head.subarray(0, 20))).toEqual({ ok: false, reason: 'short header' });
  });

  it('lists every problem of a batch it cannot store', () => {
    expect(metaProblems(meta, 10)).toEqual([]);
    const bad = { ...meta, sensorId: '', seq: -1, firstUnackedSeq: 1.5, receivedMs: Number.NaN, events: 2 ** 32 };
    expect(metaProblems(bad, 10)).toHaveLength(5);
    expect(metaProblems({ ...meta, tenant: 'x'.repeat(70_000) }, 10)).toEqual(['tenant is longer than 65535 bytes']);
  });

  it('names segments so that name order is number order', () => {
    expect(segmentName(42)).toBe('seg-000000000042.vga');
    expect(parseSegmentName(segmentName(42))).toBe(42);
    expect(parseSegmentName('seg-42.vga')).toBeUndefined();
    expect(segmentName(9) < segmentName(10)).toBe(true);
  });
});
