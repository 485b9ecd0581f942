/**
 * The score stage with real onnxruntime sessions: detections with explanations and lineage on an
 * attack tree and none on benign activity, one run per micro-batch, and model changes as
 * transactions (a refused model leaves the running one scoring).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { processKey } from '../../../common/events.js';
import { PROCESS_LAYOUT } from '../../../models/features/index.js';
import { severityOf } from '../../../engine/score/model-detection.js';
import { resolveModelSource } from '../../../engine/score/model-source.js';
import { silentLogger } from '../../../common/log.js';
import { attack, benign, modelBytes, stages, T0 } from './fixture.js';

let dir: string;
let processPath: string;
let networkPath: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigie-score-'));
  processPath = join(dir, 'process.onnx');
  networkPath = join(dir, 'network.onnx');
  writeFileSync(processPath, modelBytes({ kind: 'process' }));
  writeFileSync(networkPath, modelBytes({ kind: 'network' }));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

let open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of open) await s.close();
  open = [];
});

function build(o: Parameters<typeof stages>[0]) {
  const s = stages(o);
  open.push(s.score);
  return s;
}

describe('score stage', () => {
  it('flags the winword -> powershell -enc -> whoami tree with explanations and lineage, and not benign activity', async () => {
    const s = build({ processModel: processPath, networkModel: networkPath });
    await s.score.start();
    expect(s.score.info()).toMatchObject({ process_model: 'test-process@1.0.0', network_model: 'test-network@1.0.0', lineage_decay: '0.9' });

    await s.run(benign(60));
    await s.score.flush();
    expect(s.detections).toEqual([]);

    const a = attack(10_000);
    await s.run([...benign(10, 5_000), ...a.events]);
    await s.score.flush();

    const byKey = new Map(s.detections.map((d) => [d.processKey, d]));
    const ps = s.detections.find((d) => d.processKey === processKey(a.ps.processStart!.process) && d.ruleId === 'test-process@1.0.0')!;
    const who = byKey.get(processKey(a.who.processStart!.process))!;
    expect(ps).toMatchObject({
      source: 'model', sensorId: 'ws-7', tenant: 'town-b', host: 'ws-7', severity: 'high', timeMs: T0 + 10_001,
      title: 'Unusual process: started by the document application winword.exe',
    });
    expect(ps.score).toBeGreaterThan(2.5);
    expect(ps.evidence.explanations).toEqual([
      'started by the document application winword.exe',
      expect.stringMatching(/^command line holds a base64-like blob of about \d+ characters$/),
      'powershell.exe is a script host',
    ]);
    expect(ps.evidence.inheritedFrom).toBeUndefined();
    expect(ps.evidence.contentVersion).toBe('1.0.0');
    expect(ps.evidence.ancestry.map((p) => p.pid)).toEqual([a.ps.pid, a.word.pid]);
    expect((ps.evidence.event as { processStart: { commandLine: string } }).processStart.commandLine).toContain('-enc');
    expect(ps.evidence.eventIndex).toBeGreaterThanOrEqual(0);

    // whoami on its own is below its threshold; it is flagged for where it comes from.
    expect(who.title).toBe('Unusual process: whoami.exe is a discovery or administration tool');
    expect(who.score).toBeCloseTo(0.9 * ps.score!, 4);
    expect(who.severity).toBe(severityOf(who.score!));
    expect(who.evidence.inheritedFrom).toMatch(/^descends from a process that scored [\d.]+ \(1 = threshold\), through its parent powershell\.exe; on its own it scored 0\.\d+$/);
    expect(who.evidence.ancestry.map((p) => p.pid)).toEqual([a.who.pid, a.ps.pid, a.word.pid]);

    // The shell's network window (closed by its exit) inherits the shell's score.
    const net = s.detections.find((d) => d.ruleId === 'test-network@1.0.0')!;
    expect(net).toMatchObject({ processKey: processKey(a.ps.processStart!.process), title: expect.stringMatching(/^Unusual network activity: /) });
    expect(net.score).toBeCloseTo(0.9 * ps.score!, 4);
    expect(net.evidence.inheritedFrom).toMatch(/^its process powershell\.exe scored/);
    expect((net.evidence.event as { processExit?: unknown }).processExit).toBeDefined();
    expect(net.evidence.eventIndex).toBeGreaterThan(0);

    // Only the attack: the shell, whoami, the shell's network window. Benign shells and pings are not flagged.
    expect(s.detections).toHaveLength(3);
    expect(s.score.counters()).toMatchObject({ detections: 3, process_failed_runs: 0, network_failed_runs: 0, explain_failed_runs: 0 });
    // Words come from one explain run per micro-batch that has detections, not from every run.
    expect(s.score.counters()['explain_runs']).toBeGreaterThan(0);
    expect(s.score.counters()['explain_runs']).toBeLessThanOrEqual(3);
  });

  it('raises no model detection while the rarity counters warm up, and counts what it held back', async () => {
    const s = build({ processModel: processPath, networkModel: networkPath, warmupEvents: 1_000_000 });
    await s.score.start();
    await s.run([...benign(10, 5_000), ...attack(10_000).events]);
    await s.score.flush();
    expect(s.detections).toEqual([]);
    expect(s.score.counters()['warmup_suppressed']).toBe(3);
  });

  it('makes one model run per micro-batch, never per row', async () => {
    const s = build({ processModel: processPath, maxRows: 16 });
    await s.score.start();
    const events = benign(200); // 240 process starts
    for (let i = 0; i < events.length; i += 37) await s.run(events.slice(i, i + 37));
    await s.score.flush();
    const c = s.score.counters();
    expect(c['process_rows']).toBe(240);
    expect(c['process_runs']).toBe(Math.ceil(240 / 16));
    expect(c['network_runs']).toBe(0); // 'none': that kind is skipped
    expect(c['network_model_loaded']).toBe(0);
  });

  it('swaps a model beside the running one; refuses a corrupt one (VIGIE_MODEL_INVALID) and keeps scoring with the old', async () => {
    const s = build({ processModel: processPath });
    await s.score.start();

    const corrupt = join(dir, 'corrupt.onnx');
    const good = modelBytes({ version: '1.0.0' });
    writeFileSync(corrupt, good.subarray(0, Math.floor(good.length / 2)));
    const refused = await s.score.swapModel(corrupt);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error).toMatchObject({ code: 'VIGIE_MODEL_INVALID', location: { file: corrupt } });
    expect(s.score.info()['process_model']).toBe('test-process@1.0.0');

    await s.run(attack(1000).events);
    await s.score.flush();
    expect(s.detections.map((d) => d.ruleId)).toEqual(['test-process@1.0.0', 'test-process@1.0.0']);
    expect(s.score.counters()).toMatchObject({ models_refused: 1, process_swaps: 0 });

    // A good one goes in; the next rows are scored by it.
    const swapped = await s.score.swapModel(modelBytes({ version: '2.0.0' }));
    expect(swapped.ok && swapped.value.version).toBe('2.0.0');
    expect(s.score.info()['process_model']).toBe('test-process@2.0.0');
    s.detections.length = 0;
    await s.run(attack(2000).events);
    await s.score.flush();
    expect(s.detections.map((d) => d.ruleId)).toEqual(['test-process@2.0.0', 'test-process@2.0.0']);
    expect(s.score.counters()).toMatchObject({ process_swaps: 1, process_failed_runs: 0 });
  });

  it('refuses another feature schema, another column order and the wrong kind with VIGIE_MODEL_SCHEMA', async () => {
    const s = build({ processModel: processPath });
    await s.score.start();
    const other = await s.score.swapModel(modelBytes({ featureSchemaVersion: 'vigie.features/0', version: '9.0.0' }));
    expect(!other.ok && other.error.code).toBe('VIGIE_MODEL_SCHEMA');
    const names = [...PROCESS_LAYOUT.names];
    [names[0], names[1]] = [names[1]!, names[0]!];
    const reordered = await s.score.swapModel(modelBytes({ featureNames: names, version: '9.0.0' }));
    expect(!reordered.ok && reordered.error).toMatchObject({ code: 'VIGIE_MODEL_SCHEMA', location: { field: 'featureNames' } });
    const wrongKind = await s.score.swapModel(modelBytes({ kind: 'network', version: '9.0.0' }), 'process');
    expect(!wrongKind.ok && wrongKind.error).toMatchObject({ code: 'VIGIE_MODEL_SCHEMA', location: { field: 'kind' } });
    expect(s.score.info()['process_model']).toBe('test-process@1.0.0');
    expect(s.score.counters()['models_refused']).toBe(3);
  });

  it("runs without models: 'none' skips a kind, a model that does not load is refused at start, a missing default is 'none'", async () => {
    const none = build({});
    await none.score.start();
    await none.run(attack(0).events);
    await none.score.flush();
    expect(none.detections).toEqual([]);
    expect(none.score.counters()).toMatchObject({ process_model_loaded: 0, network_model_loaded: 0, skipped_events: 6 });

    const missing = build({ processModel: join(dir, 'nope.onnx') });
    await missing.score.start();
    expect(missing.score.info()['process_model']).toBe('none');
    expect(missing.score.counters()['models_refused']).toBe(1);

    const warnings: string[] = [];
    const log = { ...silentLogger, warn: (m: string) => { warnings.push(m); } };
    expect(resolveModelSource('default', 'process', log, join(dir, 'not-built.onnx'))).toBe('none');
    expect(warnings[0]).toMatch(/default process model not found/);
    expect(resolveModelSource('default', 'network', log, networkPath)).toBe(networkPath);
    expect(resolveModelSource('none', 'network', log)).toBe('none');
  });

  it('takes the lineage decay from the card unless configured', async () => {
    const fromCard = build({ processModel: processPath });
    await fromCard.score.start();
    const swapped = await fromCard.score.swapModel(modelBytes({ version: '1.1.0', lineageDecay: 0.5 }));
    expect(swapped.ok).toBe(true);
    expect(fromCard.score.info()['lineage_decay']).toBe('0.5');
    const configured = build({ processModel: processPath, lineageDecay: 0.7 });
    await configured.score.start();
    expect(configured.score.info()['lineage_decay']).toBe('0.7');
  });
});
