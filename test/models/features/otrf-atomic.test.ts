/**
 * Feature extraction on real public telemetry (../shared/datasets, never copied into the
 * repository): every Sysmon event of otrf-atomic, translated line by line and fed one event at a
 * time, as training reads Sysmon files. Skips with a message on a fresh clone.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Event } from '../../../common/events.js';
import { FeatureBatch, FeatureExtractor } from '../../../models/features/index.js';
import { SysmonTranslator } from '../../../sensors/adapters/sysmon/index.js';

const ATOMIC = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'datasets', 'otrf-atomic', 'events.jsonl.gz');
if (!existsSync(ATOMIC)) console.warn(`[skip] otrf-atomic feature test: ${ATOMIC} not found (a fresh clone has no ../shared/datasets)`);

function translate(): Event[] {
  const t = new SysmonTranslator();
  const events: Event[] = [];
  for (const line of gunzipSync(readFileSync(ATOMIC)).toString('utf8').split('\n')) {
    if (line === '') continue;
    const o = t.translateLine(line);
    if (o.kind === 'event') events.push(o.event);
  }
  return events;
}

function allFinite(rows: Float32Array): boolean {
  for (let i = 0; i < rows.length; i++) if (!Number.isFinite(rows[i]!)) return false;
  return true;
}

describe.skipIf(!existsSync(ATOMIC))('feature extraction on otrf-atomic/events.jsonl.gz', () => {
  it('extracts every row, finite and in range, one event at a time', () => {
    const events = translate();
    let best = Infinity;
    let rows = { process: 0, network: 0 };
    for (let round = 0; round < 3; round++) {
      const x = new FeatureExtractor();
      const out = new FeatureBatch(64);
      let finite = true;
      let inRange = true;
      rows = { process: 0, network: 0 };
      const single: Event[] = [events[0]!];
      const t0 = performance.now();
      for (const e of events) {
        single[0] = e;
        x.extract('otrf', e.host ?? '', single, out);
        if (out.process.count + out.network.count >= 32) {
          finite &&= allFinite(out.process.filled()) && allFinite(out.network.filled());
          inRange &&= out.process.filled().every((v) => v >= -1 && v <= 1) && out.network.filled().every((v) => v >= -1 && v <= 1);
          rows.process += out.process.count;
          rows.network += out.network.count;
          out.clear();
        }
      }
      x.drain(out);
      finite &&= allFinite(out.process.filled()) && allFinite(out.network.filled());
      rows.process += out.process.count;
      rows.network += out.network.count;
      best = Math.min(best, performance.now() - t0);
      expect(finite).toBe(true);
      expect(inRange).toBe(true);
    }
    const starts = events.filter((e) => e.processStart).length;
    expect(rows.process).toBe(starts);
    expect(rows.network).toBeGreaterThan(100);
    const n = rows.process + rows.network;
    console.log(
      `otrf-atomic features: ${events.length} events -> ${rows.process} process rows + ${rows.network} network rows in ${best.toFixed(1)} ms ` +
        `(one event per call): ${Math.round((events.length / best) * 1000).toLocaleString('en')} events/s, ${Math.round((n / best) * 1000).toLocaleString('en')} rows/s`,
    );
  });
});
