import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Archive } from '../../../engine/archive/index.js';
import { WorkerCompressor } from '../../../engine/archive/compressor.js';
import { encodeHead, FLAG_DEFLATE_RAW, segmentName } from '../../../engine/archive/format.js';
import type { VigieProblem } from '../../../common/errors.js';

const meta = (seq: number) => ({ sensorId: 's-1', tenant: 't', seq, firstUnackedSeq: seq, events: 3, receivedMs: 1_700_000_000_000 });

describe('archive codecs', () => {
  it('reads records written with deflate (older archives) as well as brotli', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-codec-'));
    try {
      const raw = Buffer.from('deflate record payload '.repeat(50));
      const body = deflateRawSync(raw);
      const odd = encodeHead(meta(2), body, raw.length, 0x80); // unknown codec bits: damage, not a guess
      writeFileSync(join(dir, segmentName(1)), Buffer.concat([encodeHead(meta(1), body, raw.length, FLAG_DEFLATE_RAW), body, odd, body]));
      const archive = await Archive.open({ dir });
      expect(archive.ok).toBe(true);
      if (!archive.ok) return;
      const a = archive.value;
      expect((await a.append(meta(3), Buffer.from('brotli record payload'))).outcome).toBe('stored');
      const problems: VigieProblem[] = [];
      const payloads: string[] = [];
      for await (const r of a.records((p) => problems.push(p))) payloads.push(Buffer.from(r.payload).toString().slice(0, 21));
      await a.close();
      expect(payloads).toEqual(['deflate record payloa', 'brotli record payload']);
      expect(problems.map((p) => p.message)).toEqual([expect.stringContaining('unknown codec')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('replaces a compression worker that died, and fails only what it held', async () => {
    const c = new WorkerCompressor(0, 1);
    const compress = (p: Uint8Array) => new Promise<Buffer>((resolve, reject) => c.compress(p, (e, b) => (e ? reject(e) : resolve(b!))));
    try {
      expect((await compress(Buffer.from('x'.repeat(1000)))).length).toBeGreaterThan(0);
      await c.killOne();
      expect((await compress(Buffer.from('y'.repeat(1000)))).length).toBeGreaterThan(0);
      expect(c.replaced).toBe(1);
    } finally {
      await c.close();
    }
  });
});
