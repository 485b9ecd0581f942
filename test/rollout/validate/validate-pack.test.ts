/**
 * Signature packs through the whole validation, with real sensor workers (SignatureHost), real
 * archives and the simulated fleet: a good pack passes; a field the sensor lacks, a catastrophic
 * regex, a pack that throws, a pack that floods and a pack that burns CPU are each blocked by the
 * check that should catch them.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Event } from '../../../common/events.js';
import { encodeEvents } from '../../../common/wire/frames.js';
import { defaultPack } from '../../../signatures/pack/index.js';
import { simulatedCorpus, validateContent, type Check, type ValidationReport } from '../../../rollout/validate/index.js';
import { containsRule, loopingRule, pack, throwingRule } from '../../helpers/packs.js';
import { meta, openArchive } from '../../engine/archive/helpers.js';
import { SMALL, floodRule, heavyRules, packBytes, unsuppliedFieldRule } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'vigie-validate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const check = (r: ValidationReport, name: string): Check => {
  const c = r.checks.find((k) => k.name === name);
  if (!c) throw new Error(`no ${name} check in ${JSON.stringify(r.checks.map((k) => k.name))}`);
  return c;
};
const blockers = (r: ValidationReport): string[] => r.checks.filter((c) => c.verdict === 'block').map((c) => c.name);

const validatePack = (rules: Parameters<typeof pack>[1], o: Parameters<typeof validateContent>[2] = {}, current?: Parameters<typeof pack>[1]) =>
  validateContent(
    { kind: 'signatures', payload: packBytes(pack('2.0.0', rules)), file: 'candidate.json' },
    current ? { payload: packBytes(pack('1.0.0', current)), file: 'current.json' } : undefined,
    { ...SMALL, ...o },
  );

describe('validateContent: signature packs', () => {
  it('passes the default pack against itself, on a simulated corpus it names (no archive)', async () => {
    const r = await validateContent({ kind: 'signatures', payload: packBytes(defaultPack()), file: 'default.json' }, undefined, { ...SMALL, archiveDir: join(dir, 'nowhere') });
    expect(blockers(r)).toEqual([]);
    expect(r.blocked).toBe(false);
    expect(r.bundle).toMatchObject({ kind: 'signatures', name: 'vigie-default', version: '0.1.0' });
    expect(r.bundle.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.corpus).toMatchObject({ simulated: true, events: 2500 });
    expect(r.corpus.source).toMatch(/^simulated:4-hosts:1h:seed-7 \(no archive at .*nowhere\)$/);
    expect(check(r, 'corpus').verdict).toBe('warn');
    expect(check(r, 'bundle')).toMatchObject({ verdict: 'warn' });
    expect(check(r, 'bundle').detail).toMatch(/skipped/);
    for (const name of ['schema', 'compile', 'load', 'replay', 'detections', 'cpu', 'fuzz']) expect(check(r, name).verdict).toBe('pass');
    // Same pack, same events: the same hits on both sides.
    expect(check(r, 'detections').metrics!['candidate']).toBe(check(r, 'detections').metrics!['current']);
    expect(check(r, 'detections').metrics!['candidate']).toBeGreaterThan(0);
    expect(check(r, 'fuzz').metrics).toMatchObject({ tried: 150, seed: 7 });
  });

  it('blocks a rule reading a field the sensor does not supply, at the schema check', async () => {
    const r = await validatePack([containsRule('r-ok', 'evil'), unsuppliedFieldRule('r-2024')], { fuzz: 20 });
    expect(blockers(r)).toEqual(['schema']);
    expect(check(r, 'schema')).toMatchObject({ code: 'VIGIE_BUNDLE_INCOMPATIBLE' });
    expect(check(r, 'schema').problems![0]!.location).toMatchObject({ field: 'network.destination_port' });
    // The rest still ran: the sensor would load this pack, and it neither crashes nor floods.
    expect(check(r, 'replay').verdict).toBe('pass');
  });

  it('blocks a catastrophic regex on a blown budget in the fuzz pass, and saves the input', async () => {
    const saveDir = join(dir, 'saved');
    mkdirSync(saveDir);
    const r = await validatePack([containsRule('r-ok', 'evil'), loopingRule('r-loop')], { saveDir });
    expect(blockers(r)).toEqual(['fuzz']);
    const fuzz = check(r, 'fuzz');
    expect(fuzz).toMatchObject({ code: 'VIGIE_PACK_FAILED', metrics: { failure: 'timeout' } });
    expect(fuzz.detail).toMatch(/budget/);
    expect(fuzz.detail).toMatch(/"commandLine":"a{20,}b/);
    const saved = fuzz.metrics!['saved'] as string;
    expect(existsSync(saved)).toBe(true);
    expect((JSON.parse(readFileSync(saved, 'utf8')) as Event).processStart?.commandLine).toMatch(/^a+b/);
  });

  it('blocks a pack that throws (a crash) in the fuzz pass', async () => {
    // A generous budget: on a loaded machine, 5 MB of "a" can take 300 ms to reach the stack overflow.
    const r = await validatePack([throwingRule('r-throw')], { budgetMs: 5000 });
    expect(blockers(r)).toEqual(['fuzz']);
    expect(check(r, 'fuzz')).toMatchObject({ code: 'VIGIE_PACK_FAILED', metrics: { failure: 'crash' } });
    expect(check(r, 'fuzz').detail).toMatch(/threw/);
    expect(check(r, 'fuzz').detail).toMatch(/5000000 chars/);
  });

  it('blocks a pack that floods detections', async () => {
    const r = await validatePack([floodRule('r-flood')], { fuzz: 20 });
    expect(blockers(r)).toEqual(['detections']);
    const d = check(r, 'detections');
    expect(d.code).toBe('VIGIE_VALIDATION_BLOCKED');
    expect(d.metrics!['candidatePerThousand']).toBeGreaterThan(d.metrics!['limitPerThousand'] as number);
    expect(d.detail).toMatch(/r-flood/);
  });

  it('blocks a pack that costs far more CPU per event than the current one', async () => {
    const r = await validatePack(heavyRules(30), { fuzz: 0 }, [containsRule('r-evil', 'evil')]);
    expect(blockers(r)).toEqual(['cpu']);
    const cpu = check(r, 'cpu').metrics!;
    expect(cpu['candidateUs']).toBeGreaterThan(cpu['limitUs'] as number);
    expect(check(r, 'fuzz').verdict).toBe('warn');
  });

  it('blocks when the replay does not finish within the time limit (never a pass on part of the data)', async () => {
    const r = await validatePack([containsRule('r-ok', 'evil')], { timeLimitMs: 1, fuzz: 5 });
    expect(check(r, 'replay')).toMatchObject({ verdict: 'block', code: 'VIGIE_VALIDATION_BLOCKED', metrics: { failure: 'timeout' } });
    expect(check(r, 'replay').detail).toMatch(/time limit/);
    expect(check(r, 'cpu').verdict).toBe('warn');
  });

  it("replays the engine's archive, and names the archived event that blew the budget", async () => {
    const archiveDir = join(dir, 'archive');
    const events = simulatedCorpus({ maxEvents: 1500, seed: 3, simulated: { hosts: 3, hours: 1, startHour: 9 } });
    const trigger: Event = { timeMs: 1_736_150_000_000, host: 'ws-9', processStart: { process: { pid: 77, startTimeMs: 1 }, image: '/bin/sh', commandLine: `${'a'.repeat(40)}bc` } };
    events.splice(1234, 0, trigger);
    const archive = await openArchive({ dir: archiveDir, fsync: false });
    for (let seq = 0; seq * 500 < events.length; seq++) {
      const batch = events.slice(seq * 500, (seq + 1) * 500);
      await archive.append(meta('ws-9', seq + 1, { events: batch.length }), encodeEvents(batch));
    }
    await archive.close();

    const r = await validatePack([containsRule('r-ok', 'evil'), loopingRule('r-loop')], { archiveDir, fuzz: 0 });
    expect(r.corpus).toEqual({ source: `archive:${archiveDir}`, events: events.length, simulated: false });
    expect(check(r, 'corpus').verdict).toBe('pass');
    expect(blockers(r)).toEqual(['replay']);
    const replay = check(r, 'replay');
    expect(replay).toMatchObject({ code: 'VIGIE_PACK_FAILED', metrics: { failure: 'timeout', frame: 2, event: 1234 } });
    expect(replay.problems![0]!.location).toEqual({ offset: 1234 });
    expect(check(r, 'detections').verdict).toBe('warn');
  });

  it('uses the simulated corpus when the archive directory holds no segment, and says why', async () => {
    const empty = join(dir, 'empty-archive');
    mkdirSync(empty);
    const r = await validatePack([containsRule('r-ok', 'evil')], { archiveDir: empty, fuzz: 10 });
    expect(r.corpus.simulated).toBe(true);
    expect(r.corpus.source).toContain('is empty');
    expect(r.corpus.events).toBeGreaterThan(1000);
    expect(existsSync(join(empty, 'LOCK'))).toBe(false); // looked at, not opened
  });
});
