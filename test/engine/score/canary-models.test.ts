/**
 * Models follow rollout rings: a canary model beside the stable one scores only the hosts routed
 * to it (real onnxruntime sessions), promotion makes it everyone's, dropping it sends its hosts
 * back to the stable model, and a canary that does not fit is refused with the stable one scoring.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Event } from '../../../common/events.js';
import { attack, ingested, modelBytes, stages } from './fixture.js';

let open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of open) await s.close();
  open = [];
});

async function setup() {
  const s = stages({});
  open.push(s.score);
  await s.score.start();
  const stable = await s.score.modelCommand({ op: 'swap', source: modelBytes({ kind: 'process', version: '1.0.0' }) });
  expect(stable.ok).toBe(true);
  const runOn = async (sensorId: string, events: Event[]) => {
    const b = [ingested(events, sensorId)];
    s.enrich.process(b);
    await s.score.process(b);
    await s.score.flush();
  };
  return { ...s, runOn };
}

const versionsFor = (ds: { sensorId: string; ruleId: string }[], sensor: string) => [...new Set(ds.filter((d) => d.sensorId === sensor).map((d) => d.ruleId))].sort();

describe('canary models', () => {
  it('score only the hosts their ring reached, then everyone once promoted', async () => {
    const s = await setup();
    // The canary scores everything 10x lower (threshold x10): its hosts see no detection here.
    const c = await s.score.modelCommand({ op: 'canary', kind: 'process', source: modelBytes({ kind: 'process', version: '1.1.0', threshold: 10 }) });
    expect(c.ok && c.value?.version).toBe('1.1.0');
    expect(s.score.info()).toMatchObject({ process_model: 'test-process@1.0.0', process_canary: 'test-process@1.1.0' });
    await s.score.modelCommand({ op: 'route', kind: 'process', hosts: ['canary-host'] });
    await s.runOn('stable-host', attack(1_000).events);
    await s.runOn('canary-host', attack(2_000).events);
    expect(versionsFor(s.detections, 'stable-host')).toEqual(['test-process@1.0.0']);
    expect(versionsFor(s.detections, 'canary-host')).toEqual([]);
    expect(s.score.counters()).toMatchObject({ process_canary_hosts: 1 });
    expect(s.score.counters()['process_canary_rows']).toBeGreaterThan(0);

    const p = await s.score.modelCommand({ op: 'promote', kind: 'process' });
    expect(p.ok && p.value?.version).toBe('1.1.0');
    expect(s.score.info()).toMatchObject({ process_model: 'test-process@1.1.0', process_canary: 'none' });
    const before = s.detections.length;
    await s.runOn('stable-host', attack(3_000).events);
    expect(s.detections.length).toBe(before);
  });

  it('a dropped canary sends its hosts back to the stable model', async () => {
    const s = await setup();
    await s.score.modelCommand({ op: 'canary', kind: 'process', source: modelBytes({ kind: 'process', version: '1.1.0', threshold: 10 }) });
    await s.score.modelCommand({ op: 'route', kind: 'process', hosts: ['canary-host'] });
    await s.runOn('canary-host', attack(1_000).events);
    expect(versionsFor(s.detections, 'canary-host')).toEqual([]);
    await s.score.modelCommand({ op: 'drop', kind: 'process' });
    await s.runOn('canary-host', attack(2_000).events);
    expect(versionsFor(s.detections, 'canary-host')).toEqual(['test-process@1.0.0']);
    const again = await s.score.modelCommand({ op: 'promote', kind: 'process' });
    expect(again.ok).toBe(false);
    if (!again.ok) expect(again.error.code).toBe('VIGIE_ROLLOUT_STATE');
  });

  it('a canary of another feature schema is refused and the stable model keeps scoring', async () => {
    const s = await setup();
    const bad = await s.score.modelCommand({ op: 'canary', kind: 'process', source: modelBytes({ kind: 'process', version: '2.0.0', featureSchemaVersion: 'vigie.features/2' }) });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.code).toBe('VIGIE_MODEL_SCHEMA');
    expect(s.score.info()).toMatchObject({ process_canary: 'none' });
    await s.score.modelCommand({ op: 'route', kind: 'process', hosts: ['canary-host'] });
    await s.runOn('canary-host', attack(1_000).events);
    expect(versionsFor(s.detections, 'canary-host')).toEqual(['test-process@1.0.0']);
  });
});
