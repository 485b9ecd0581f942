import { describe, expect, it } from 'vitest';
import { batchFrames, classifySensorFrames, decodeBatch, encodeBatch, heartbeatFrames, FrameKind } from '../../common/wire/frames.js';

const batch = {
  sensorId: 's-1', tenant: 't', seq: 42, firstUnackedSeq: 40, createdMs: 1_700_000_000_123,
  events: [{ timeMs: 1_700_000_000_000, host: 'h', processStart: { process: { pid: 7, startTimeMs: 1_699_999_999_000 }, image: '/bin/sh', commandLine: 'sh -c true' } }],
};

describe('wire frames', () => {
  it('round-trips a batch with 64-bit fields as plain numbers', () => {
    const r = decodeBatch(encodeBatch(batch));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.seq).toBe(42);
    expect(typeof r.value.createdMs).toBe('number');
    expect(r.value.createdMs).toBe(1_700_000_000_123);
    expect(r.value.events[0]!.processStart!.process!.startTimeMs).toBe(1_699_999_999_000);
  });
  it('rejects a truncated protobuf with VIGIE_DECODE_FAILED', () => {
    const bytes = encodeBatch(batch);
    const r = decodeBatch(bytes.subarray(0, bytes.length - 5));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('VIGIE_DECODE_FAILED');
  });
  it('classifies frames: garbage, unknown kind, oversize, good', () => {
    const payload = Buffer.from(encodeBatch(batch));
    expect(classifySensorFrames([Buffer.from('garbage')], 1000).ok).toBe(false);
    const unknown = classifySensorFrames([Buffer.from([0x7f]), payload], 1000);
    expect(!unknown.ok && unknown.error.code).toBe('VIGIE_FRAME_GARBAGE');
    const big = classifySensorFrames([Buffer.from([FrameKind.Batch]), Buffer.alloc(2000)], 1000);
    expect(!big.ok && big.error.code).toBe('VIGIE_FRAME_TOO_LARGE');
    const good = classifySensorFrames(batchFrames(payload).map((f) => Buffer.from(f)), 1000);
    expect(good.ok && good.value.kind).toBe(FrameKind.Batch);
    const hb = classifySensorFrames(heartbeatFrames({ sensorId: 's-1' }).map((f) => Buffer.from(f)), 1000);
    expect(hb.ok && hb.value.kind).toBe(FrameKind.Heartbeat);
  });
});

describe('batch header', async () => {
  const { decodeBatchHeader } = await import('../../common/wire/batch-header.js');
  it('reads the header and counts events without decoding them', () => {
    const h = decodeBatchHeader(encodeBatch({ ...batch, sensorVersion: '1.2.3', events: [...batch.events, ...batch.events, ...batch.events] }));
    expect(h.ok && h.value).toEqual({ sensorId: 's-1', tenant: 't', seq: 42, firstUnackedSeq: 40, sensorVersion: '1.2.3', contentVersion: '', createdMs: 1_700_000_000_123, events: 3 });
  });
  it('refuses a truncated batch, wherever it is cut', () => {
    const bytes = encodeBatch(batch);
    for (let cut = 1; cut < bytes.length; cut++) {
      const full = decodeBatch(bytes.subarray(0, cut));
      const head = decodeBatchHeader(bytes.subarray(0, cut));
      // the header reader refuses every cut that the full decoder refuses
      if (!full.ok) expect(head.ok, `cut at ${cut}`).toBe(false);
    }
    const h = decodeBatchHeader(bytes.subarray(0, bytes.length - 3));
    expect(!h.ok && h.error.code).toBe('VIGIE_DECODE_FAILED');
  });
  it('skips fields it does not know', () => {
    const extra = Buffer.concat([Buffer.from(encodeBatch(batch)), Buffer.from([0x98, 0x06, 0x05])]); // field 99 varint 5
    const h = decodeBatchHeader(extra);
    expect(h.ok && h.value.events).toBe(1);
  });
});
