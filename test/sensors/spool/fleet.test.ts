/**
 * The simulated fleet runs thousands of sensors in one process: each spool must hold at most one
 * file descriptor (its active segment; none until it appends) and an index, never payloads.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Spool } from '../../../sensors/spool/index.js';
import { appendOk, openOk, tempDir } from './helpers.js';

const HOSTS = 2000;
const BATCHES = 20;
const PAYLOAD = 2048;
const t = tempDir('fleet');
afterAll(() => t.cleanup());

const openFds = (): number => fs.readdirSync('/proc/self/fd').length;
const MiB = (n: number): string => `${(n / 1048576).toFixed(1)} MiB`;

describe('Spool: a simulated fleet in one process', () => {
  it(`keeps ${HOSTS} spools within one fd each and a small index`, () => {
    const fd0 = openFds();
    const mem0 = process.memoryUsage();
    const started = performance.now();
    const spools: Spool[] = [];
    for (let h = 0; h < HOSTS; h++) {
      spools.push(openOk({ dir: path.join(t.dir, `host-${h}`), maxBytes: 1 << 20, segmentBytes: 64 << 10 }));
    }
    const opened = performance.now();
    expect(openFds() - fd0).toBeLessThanOrEqual(5); // open() holds nothing: segments open lazily
    for (const s of spools) for (let b = 0; b < BATCHES; b++) appendOk(s, 10, PAYLOAD);
    const appended = performance.now();
    const fd1 = openFds();
    const mem1 = process.memoryUsage();
    expect(fd1 - fd0).toBeLessThanOrEqual(HOSTS + 5);
    for (const s of spools) {
      const entries = s.readUnacked(0, BATCHES);
      expect(entries).toHaveLength(BATCHES);
      for (const e of entries) s.ack(e.seq);
    }
    expect(openFds() - fd0).toBeLessThanOrEqual(HOSTS + 5); // reads borrow no lasting fd
    for (const s of spools) s.close();
    expect(openFds() - fd0).toBeLessThanOrEqual(5);
    const heapPerSpool = (mem1.heapUsed - mem0.heapUsed) / HOSTS;
    console.log(
      `[spool fleet] ${HOSTS} spools x ${BATCHES} batches of ${PAYLOAD} B: ` +
      `open ${(opened - started).toFixed(0)} ms, append ${(appended - opened).toFixed(0)} ms; ` +
      `fds +${fd1 - fd0}; rss ${MiB(mem0.rss)} -> ${MiB(mem1.rss)}; heap +${MiB(mem1.heapUsed - mem0.heapUsed)} ` +
      `(~${(heapPerSpool / 1024).toFixed(1)} KiB per spool, garbage included)`,
    );
    // Payloads are not kept: 2000 x 20 x 2 KiB = 80 MiB went to disk, the heap grows far less.
    expect(mem1.heapUsed - mem0.heapUsed).toBeLessThan(48 * 1048576);
  });
});
