/**
 * The agent's bundle requests over its socket, without a socket: one request per sha256 at a time,
 * answers matched by sha256, engine error codes kept, timeouts and a stopping agent fail cleanly.
 */
import { describe, expect, it } from 'vitest';
import { bundleDataFrames, decodeBundleRequest } from '../../../common/wire/rollout-frames.js';
import { EngineBundleSource } from '../../../sensors/agent/content-link.js';

const target = (c: string) => ({ kind: 'signatures' as const, name: 'p', version: '1.0.0', sha256: c.repeat(64) });

function source(timeoutMs = 5000, sendOk = true) {
  const sent: string[] = [];
  const s = new EngineBundleSource(async (frames) => {
    const r = decodeBundleRequest(frames[1]!);
    if (r.ok) sent.push(r.value.sha256);
    return sendOk;
  }, timeoutMs);
  return { s, sent };
}

describe('EngineBundleSource', () => {
  it('matches answers by sha256 and shares one request between concurrent fetches', async () => {
    const { s, sent } = source();
    const a1 = s.fetch(target('a'));
    const a2 = s.fetch(target('a'));
    const b = s.fetch(target('b'));
    await Promise.resolve();
    expect(sent).toEqual(['a'.repeat(64), 'b'.repeat(64)]);
    s.onBundleData(bundleDataFrames({ sha256: 'b'.repeat(64), errorCode: 'VIGIE_BUNDLE_INVALID', errorMessage: 'no such bundle' })[1]);
    s.onBundleData(bundleDataFrames({ sha256: 'a'.repeat(64), bytes: new Uint8Array([1, 2, 3]) })[1]);
    s.onBundleData(bundleDataFrames({ sha256: 'c'.repeat(64), bytes: new Uint8Array([9]) })[1]); // nobody asked
    const [r1, r2, rb] = await Promise.all([a1, a2, b]);
    expect(r1.ok && [...r1.value]).toEqual([1, 2, 3]);
    expect(r2).toBe(r1);
    expect(rb).toMatchObject({ ok: false, error: { code: 'VIGIE_BUNDLE_INVALID' } });
    expect(s.counters).toMatchObject({ requests: 2, received: 1, refused: 1, unexpected: 1 });
  });

  it('fails on timeout, when the request cannot be sent, and when the agent stops', async () => {
    const slow = source(30);
    expect(await slow.s.fetch(target('a'))).toMatchObject({ ok: false, error: { code: 'VIGIE_UPDATER_IO' } });
    expect(slow.s.counters.timeouts).toBe(1);
    const down = source(5000, false);
    expect(await down.s.fetch(target('a'))).toMatchObject({ ok: false, error: { code: 'VIGIE_UPDATER_IO' } });
    const stopping = source();
    const waiting = stopping.s.fetch(target('a'));
    stopping.s.close();
    expect(await waiting).toMatchObject({ ok: false, error: { message: 'agent stopping' } });
    expect(await stopping.s.fetch(target('b'))).toMatchObject({ ok: false });
  });
});
