/** Small helpers shared by integration tests: temp dirs, polling, synthetic events. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Event } from '../../common/events.js';

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `vigie-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Polls `check` until it returns true or the timeout passes (then throws with `what`). */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** N process-start events for a host; `from` numbers them so tests can count exactly. */
export function processEvents(host: string, from: number, n: number): Event[] {
  const out: Event[] = [];
  for (let i = from; i < from + n; i++) {
    out.push({
      timeMs: 1_700_000_000_000 + i,
      host,
      processStart: { process: { pid: 1000 + (i % 30000), startTimeMs: 1_700_000_000_000 + i }, parent: { pid: 1, startTimeMs: 1 }, image: '/usr/bin/true', commandLine: `true ${i}` },
    });
  }
  return out;
}
