/**
 * Crash test: a child process appends and prints an ack line per durable append; it is SIGKILLed
 * mid-stream (writes and fdatasyncs in flight), the archive is reopened and checked: every acked
 * record is present exactly once with its bytes, nothing is duplicated, every record is whole,
 * and a re-send of an acked batch is a duplicate. Three kill rounds on the same directory.
 *
 * The child is plain JavaScript on bare `node` (no tsx here). It imports the archive compiled by
 * this test into a temp dir with the project's own tsc, so the test needs neither `npm run build`
 * nor a fresh dist/. If tsc cannot run, the test is skipped and says why.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHead } from '../../../engine/archive/format.js';
import { openArchive, tempDir } from './helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
let compiled: string | undefined;
let skipReason = '';
let buildDir = '';

beforeAll(async () => {
  buildDir = await mkdtemp(join(tmpdir(), 'vigie-archive-build-'));
  let tsc: string;
  try {
    // Through package.json and its "bin": TypeScript's "exports" map hides bin/ from resolve().
    const pkgPath = createRequire(import.meta.url).resolve('typescript/package.json');
    const pkg = JSON.parse(await readFile(pkgPath, 'utf8')) as { bin: { tsc: string } };
    tsc = join(dirname(pkgPath), pkg.bin.tsc);
  } catch {
    skipReason = 'typescript is not installed: cannot compile the archive for the child process';
    return;
  }
  // A throwaway tsconfig: the project's settings, only the archive's files, output in buildDir.
  await writeFile(join(buildDir, 'tsconfig.json'), JSON.stringify({
    extends: join(root, 'tsconfig.json'),
    compilerOptions: {
      rootDir: root,
      outDir: join(buildDir, 'out'),
      typeRoots: [join(root, 'node_modules/@types')],
      sourceMap: false,
    },
    files: [join(root, 'engine/archive/index.ts')],
    include: [],
  }));
  await writeFile(join(buildDir, 'package.json'), '{"type":"module"}');
  const r = spawnSync(process.execPath, [tsc, '-p', join(buildDir, 'tsconfig.json')], { encoding: 'utf8' });
  const out = join(buildDir, 'out/engine/archive/index.js');
  if (r.status !== 0) skipReason = `tsc failed to compile engine/archive: ${r.stdout}${r.stderr}`;
  else compiled = out;
}, 120_000);

afterAll(async () => {
  if (buildDir) await rm(buildDir, { recursive: true, force: true });
});

/**
 * A SIGKILL never tears a write (the kernel finishes the writev), so model what a power loss
 * adds: the unsynced tail of the last segment is cut at a random point after its last acked
 * record, and zeroes are appended (a file size that reached the disk before its data).
 */
async function simulatePowerLoss(dir: string, acked: Map<string, Ack>): Promise<string> {
  const last = (await readdir(dir)).filter((f) => f.endsWith('.vga')).sort().at(-1);
  if (!last) return 'no segment';
  const buf = await readFile(join(dir, last));
  let ackedEnd = 0;
  for (let off = 0; off < buf.length; ) {
    const h = decodeHead(buf.subarray(off));
    if (!h) break;
    if (acked.has(`${h.meta.sensorId}:${h.meta.seq}`)) ackedEnd = off + h.recordLength;
    off += h.recordLength;
  }
  const cut = ackedEnd + Math.floor(Math.random() * (buf.length - ackedEnd + 1));
  const zeroes = 1 + Math.floor(Math.random() * 4096);
  await writeFile(join(dir, last), Buffer.concat([buf.subarray(0, cut), Buffer.alloc(zeroes)]));
  return `${last} cut at ${cut} of ${buf.length} (acked up to ${ackedEnd}) + ${zeroes} zero bytes`;
}

interface Ack { sensor: string; seq: number; outcome: string; crc: number; length: number }

/** Runs the child from `from` and SIGKILLs it once it has printed `killAfter` acks. */
async function runAndKill(dir: string, from: number, killAfter: number): Promise<Ack[]> {
  const child = spawn(process.execPath, [join(here, 'crash-child.mjs'), compiled!, dir, String(from)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const acks: Ack[] = [];
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    const [kind, sensor, seq, outcome, crc, length] = line.split(' ');
    if (kind !== 'ack') return;
    acks.push({ sensor: sensor!, seq: Number(seq), outcome: outcome!, crc: Number(crc), length: Number(length) });
    if (acks.length === killAfter) child.kill('SIGKILL');
  });
  // 'close' comes after the pipes are drained: every ack printed before the kill is counted.
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((res) => child.on('close', (c, s) => res([c, s])));
  if (signal !== 'SIGKILL') throw new Error(`child ended with code ${code}: ${stderr}`);
  return acks;
}

describe('Archive crash safety', () => {
  it.for([
    ['SIGKILLs', false],
    ['SIGKILLs with simulated power loss of the unsynced tail', true],
  ] as const)('keeps every acked batch exactly once across %s', async ([, powerLoss], ctx) => {
    if (!compiled) {
      ctx.skip(`crash test skipped: ${skipReason}`);
      return;
    }
    const { dir, cleanup } = await tempDir();
    try {
      const acked = new Map<string, Ack>(); // every ack ever printed, by key
      let from = 0;
      const summary: string[] = [];
      for (let round = 0; round < 3; round++) {
        const acks = await runAndKill(dir, from, 150 + round * 37);
        for (const a of acks) {
          const key = `${a.sensor}:${a.seq}`;
          const earlier = acked.get(key);
          // A re-send of an acked batch must never be stored again.
          if (earlier) expect(a.outcome, `${key} re-sent in round ${round}`).toBe('duplicate');
          else acked.set(key, a);
        }
        const loss = powerLoss ? await simulatePowerLoss(dir, acked) : 'no power loss';
        const archive = await openArchive({ dir, segmentBytes: 512 * 1024 });
        const dups = acks.filter((a) => a.outcome === 'duplicate').length;
        if (round > 0) expect(dups).toBeGreaterThanOrEqual(5); // the overlap was recognised
        if (powerLoss) expect(archive.recovery.truncatedBytes).toBeGreaterThan(0);
        summary.push(`round ${round}: ${acks.length} acks (${dups} duplicate), SIGKILL, ${loss}; reopen truncated ${archive.recovery.truncatedBytes} bytes`);
        try {
          const seen = new Map<string, { crc: number; length: number; count: number }>();
          // records() throws on any damaged record: everything it yields is whole.
          for await (const r of archive.records()) {
            const key = `${r.meta.sensorId}:${r.meta.seq}`;
            const s = seen.get(key);
            if (s) s.count++;
            else seen.set(key, { crc: crc32(r.payload), length: r.payload.length, count: 1 });
          }
          expect([...seen].filter(([, s]) => s.count > 1).map(([k]) => k)).toEqual([]);
          for (const [key, a] of acked) {
            const s = seen.get(key);
            expect(s, `acked ${key} missing after round ${round}`).toBeDefined();
            expect({ crc: s!.crc, length: s!.length }).toEqual({ crc: a.crc, length: a.length });
            expect(archive.isDuplicate(a.sensor, a.seq)).toBe(true);
          }
          expect(archive.stats().records).toBe(seen.size);
          // The next round re-sends from a little below each sensor's first unacked seq, as a
          // sensor does after a reconnect (the overlap plays acks lost in the kill).
          const firstUnacked = (sensor: string): number => {
            let q = 0;
            while (acked.has(`${sensor}:${q}`)) q++;
            return q;
          };
          from = Math.max(0, Math.min(firstUnacked('alpha'), firstUnacked('beta')) - 5);
        } finally {
          await archive.close();
        }
      }
      expect(acked.size).toBeGreaterThan(300);
      console.log(`archive crash test:\n  ${summary.join('\n  ')}`);
    } finally {
      await cleanup();
    }
  });
});
