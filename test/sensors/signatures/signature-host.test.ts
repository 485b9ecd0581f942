/**
 * The sensor's signature worker with real worker threads: hits, and what happens when a pack
 * loops, throws or does not load (unloaded, last-known-good back, failure recorded).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Event } from '../../../common/events.js';
import { silentLogger } from '../../../common/log.js';
import { encodeEvents } from '../../../common/wire/frames.js';
import { SignatureHost } from '../../../sensors/signatures/index.js';
import { containsRule, irRule, loopingRule, pack, throwingRule } from '../../helpers/packs.js';

function start(commandLine: string, pid = 100): Event {
  return { timeMs: 1_700_000_000_000, host: 'h1', processStart: { process: { pid, startTimeMs: 1_700_000_000_000 }, image: '/bin/sh', commandLine } };
}

const bytes = (events: Event[]) => encodeEvents(events);
const hosts: SignatureHost[] = [];

async function host(first = pack('1.0.0', [containsRule('r-evil', 'evil')]), provenBatches = 2, budgetMs = 300): Promise<SignatureHost> {
  const h = await SignatureHost.start(first, { log: silentLogger, provenBatches, budgetMs });
  hosts.push(h);
  return h;
}

afterEach(async () => {
  for (const h of hosts.splice(0)) await h.close();
});

describe('SignatureHost', () => {
  it('returns hits with the rule metadata and the index of the event that fired', async () => {
    const h = await host();
    const out = await h.match(bytes([start('ls'), start('run EVIL thing'), start('true')]));
    expect(out).toEqual({ matched: true, version: '1.0.0', hits: [{ ruleId: 'r-evil', eventIndex: 1, title: 'rule r-evil', level: 'high', tags: ['attack.t1059'], packVersion: '1.0.0' }] });
    expect(h.counters.hits).toBe(1);
  });

  it('unloads a pack that blows its time budget and answers with the last-known-good pack', async () => {
    const h = await host();
    for (let i = 0; i < 2; i++) await h.match(bytes([start('ok')])); // 1.0.0 becomes last-known-good
    expect(h.lastKnownGood).toBe('1.0.0');
    expect((await h.load(pack('2.0.0', [containsRule('r-evil', 'evil'), loopingRule('r-loop')]))).ok).toBe(true);
    expect(h.version).toBe('2.0.0');
    const t0 = Date.now();
    const out = await h.match(bytes([start('evil'), start('a'.repeat(40) + 'bc')]));
    expect(Date.now() - t0).toBeLessThan(10_000);
    // The batch was retried with 1.0.0: its hit is there, and nothing from the broken pack.
    expect(out).toMatchObject({ matched: true, version: '1.0.0', hits: [{ ruleId: 'r-evil', eventIndex: 0 }] });
    expect(h.version).toBe('1.0.0');
    expect(h.failures).toHaveLength(1);
    expect(h.failures[0]).toMatchObject({ kind: 'signatures', version: '2.0.0', code: 'VIGIE_PACK_FAILED', fallbackVersion: '1.0.0' });
    expect(h.failures[0]!.message).toMatch(/budget/);
    // and it keeps matching
    expect(await h.match(bytes([start('evil again')]))).toMatchObject({ matched: true, version: '1.0.0' });
  });

  it('unloads a pack whose matcher throws', async () => {
    const h = await host(undefined, 1, 5000);
    await h.match(bytes([start('ok')]));
    expect((await h.load(pack('3.0.0', [throwingRule('r-throw')]))).ok).toBe(true);
    const out = await h.match(bytes([start('a'.repeat(5_000_000))]));
    expect(out).toMatchObject({ matched: true, version: '1.0.0' });
    expect(h.failures[0]).toMatchObject({ version: '3.0.0', code: 'VIGIE_PACK_FAILED' });
    expect(h.failures[0]!.message).toMatch(/threw/);
  });

  it('keeps the running pack when a new one does not load', async () => {
    const h = await host();
    const bad = pack('4.0.0', [irRule('r-bad', { op: 'field', field: 'process.command_line', test: { t: 're', source: '(', flags: '' } })]);
    const loaded = await h.load(bad);
    expect(loaded.ok).toBe(false);
    expect(h.version).toBe('1.0.0');
    expect(h.failures[0]).toMatchObject({ version: '4.0.0', fallbackVersion: '1.0.0' });
    expect(await h.match(bytes([start('evil')]))).toMatchObject({ matched: true, version: '1.0.0' });
  });

  it('without a last-known-good pack, sends batches unmatched and says why', async () => {
    const h = await host(pack('5.0.0', [loopingRule('r-loop')]), 20, 200);
    const out = await h.match(bytes([start('a'.repeat(40) + 'bc')]));
    expect(out).toEqual({ matched: false, reason: 'failed' });
    expect(h.version).toBe('');
    expect(await h.match(bytes([start('evil')]))).toEqual({ matched: false, reason: 'no-pack' });
    expect(h.counters.unmatchedBatches).toBe(2);
  });
});
