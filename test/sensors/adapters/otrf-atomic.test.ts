/**
 * The Sysmon adapter on real, public telemetry: OTRF Security-Datasets as extracted in
 * ../shared/datasets (never copied into the repository). A fresh clone has no ../shared: the tests
 * then skip with a message, and the fixture tests beside this file cover the same code.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Event } from '../../../common/events.js';
import { readReplay } from '../../../sensors/adapters/replay/index.js';
import { SysmonTranslator } from '../../../sensors/adapters/sysmon/index.js';
import { SHARED_DATASETS } from './helpers.js';

const ATOMIC = join(SHARED_DATASETS, 'otrf-atomic', 'events.jsonl.gz');
const LINUX = join(SHARED_DATASETS, 'otrf-linux-samples', 'syslog_sysmon_log4shell_cve2021_44228_jndi_reference_2022-05-11181020.json');

if (!existsSync(ATOMIC)) console.warn(`[skip] otrf-atomic adapter test: ${ATOMIC} not found (a fresh clone has no ../shared/datasets)`);
if (!existsSync(LINUX)) console.warn(`[skip] otrf-linux adapter test: ${LINUX} not found`);

const rate = (n: number, ms: number): string => `${Math.round((n / ms) * 1000).toLocaleString('en')}/s`;

describe.skipIf(!existsSync(ATOMIC))('Sysmon adapter on otrf-atomic/events.jsonl.gz', () => {
  it('translates every Sysmon record of the file without a problem', async () => {
    const reader = readReplay(ATOMIC);
    const events: Event[] = [];
    const t0 = performance.now();
    for await (const chunk of reader) {
      expect(chunk.problems).toEqual([]);
      for (const e of chunk.events) events.push(e);
    }
    const elapsed = performance.now() - t0;
    const s = reader.stats;
    console.log(
      `otrf-atomic replay: ${s.records} records, ${s.events} events ${JSON.stringify(s.byKind)}, ` +
        `unsupported ${JSON.stringify(s.unsupported)}, labelled ${s.labelled}, problems ${s.problems}, ` +
        `guid map ${JSON.stringify(s.processRefs)}; ${elapsed.toFixed(0)} ms end to end (gunzip+parse+translate): ` +
        `${rate(s.records, elapsed)} records, ${rate(s.events, elapsed)} events`,
    );

    expect(s.gzip).toBe(true);
    expect(s.records).toBeGreaterThan(15_000);
    expect(s.problems).toBe(0);
    // Sysmon EID 1, 3 and 22 (the README counts 1,131, 4,419 and 638)
    expect(s.byKind.process_start).toBeGreaterThan(1000);
    expect(s.byKind.network).toBeGreaterThan(4000);
    expect(s.byKind.dns).toBeGreaterThan(500);
    // Security 4688 and 5156 are another log: unsupported, by the thousands
    const security = Object.entries(s.unsupported).filter(([k]) => k.toLowerCase().startsWith('security:'));
    expect(security.reduce((n, [, v]) => n + v, 0)).toBeGreaterThan(10_000);
    // labels: some, not most, and technique ids
    expect(s.labelled).toBeGreaterThan(500);
    expect(s.labelled).toBeLessThan(s.events / 2);
    expect(events.some((e) => /^T\d{4}/.test(e.label ?? ''))).toBe(true);
    // every event has a host and a plausible time
    expect(events.every((e) => (e.host ?? '') !== '' && Number(e.timeMs) > Date.UTC(2015, 0, 1))).toBe(true);
    // guids resolve: most later events find their process, and creates keep their own time
    expect(s.processRefs?.hits).toBeGreaterThan(s.byKind.network / 2);
    const starts = events.flatMap((e) => (e.processStart ? [{ e, p: e.processStart }] : []));
    const moved = starts.filter(({ e, p }) => p.process?.startTimeMs !== e.timeMs).length;
    expect(moved).toBeLessThanOrEqual(s.processRefs?.lateCreates ?? 0);
  });

  it('measures translation alone (records already parsed)', () => {
    const records = gunzipSync(readFileSync(ATOMIC))
      .toString('utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as unknown);
    let best = Infinity;
    let events = 0;
    for (let round = 0; round < 3; round++) {
      const t = new SysmonTranslator();
      events = 0;
      const t0 = performance.now();
      for (const r of records) if (t.translate(r).kind === 'event') events++;
      best = Math.min(best, performance.now() - t0);
    }
    console.log(
      `otrf-atomic translation only: ${records.length} records -> ${events} events in ${best.toFixed(1)} ms: ` +
        `${rate(records.length, best)} records, ${rate(events, best)} events`,
    );
    expect(events).toBeGreaterThan(6000);
  });
});

describe.skipIf(!existsSync(LINUX))('Sysmon adapter on otrf-linux-samples (Sysmon for Linux via syslog)', () => {
  it('translates the XML-in-syslog rows', async () => {
    const reader = readReplay(LINUX);
    for await (const chunk of reader) expect(chunk.problems).toEqual([]);
    const s = reader.stats;
    console.log(`otrf-linux sysmon: ${s.records} records, ${JSON.stringify(s.byKind)}, unsupported ${JSON.stringify(s.unsupported)}`);
    expect(s.byKind.process_start).toBeGreaterThan(10);
    expect(s.byKind.process_exit).toBeGreaterThan(10);
    expect(s.byKind.network).toBeGreaterThan(0);
  });
});
