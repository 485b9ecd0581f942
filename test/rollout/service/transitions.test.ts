/**
 * Every action in every state a rollout rests in: legal ones succeed, illegal ones are refused
 * with VIGIE_ROLLOUT_STATE and change nothing (state, saved revision, audit log).
 * `halted` is not a resting state: a halt rolls the hosts back at once (rolled_back).
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Result } from '../../../common/errors.js';
import { SqliteAuditSink } from '../../../rollout/audit/index.js';
import type { Rollout, RolloutState } from '../../../rollout/controller/rollout.js';
import type { RolloutService } from '../../../rollout/service/index.js';
import { tempDir } from '../../helpers/fixtures.js';
import { packBundle, trustFiles, validationReport } from './fixtures.js';
import { clock, must, openService, type Clock } from './helpers.js';

const dir = tempDir('rollout-transitions');
afterAll(() => dir.remove());
const t = trustFiles(dir.path);
const b1 = packBundle(dir.path, '0.1.0', t.release);
const b2 = packBundle(dir.path, '0.2.0', t.release);
const report = validationReport(dir.path, b2.sha256);

type Action = 'start' | 'pause' | 'resume' | 'promote' | 'halt' | 'rollback';
const ACTIONS: Action[] = ['start', 'pause', 'resume', 'promote', 'halt', 'rollback'];
// The specification, written out independently of rollout.ts.
const LEGAL: Record<Exclude<RolloutState, 'halted'>, Action[]> = {
  validated: ['start', 'halt'],
  rolling: ['pause', 'promote', 'halt', 'rollback'],
  held: ['pause', 'promote', 'halt', 'rollback'],
  paused: ['resume', 'promote', 'halt', 'rollback'],
  complete: ['rollback'],
  rolled_back: [],
};

let n = 0;
async function inState(state: keyof typeof LEGAL): Promise<{ s: RolloutService; c: Clock }> {
  const c = clock();
  const s = openService(dir.path, t, c, `t${n++}.db`);
  must(s.install(b1.file, { root: t.root, actor: 'alice' }));
  must(await s.create(b2.file, { root: t.root, actor: 'alice', admission: { kind: 'report', file: report } }));
  if (state === 'validated') return { s, c };
  must(s.start('r1', 'alice'));
  if (state === 'paused') must(s.pause('r1', 'alice'));
  if (state === 'held') {
    // Bake over, no host reporting: the gates cannot decide, which holds (never advances).
    c.now += 31 * 60_000;
    must(s.tick());
  }
  if (state === 'complete') for (let i = 0; i < s.plan.rings.length; i++) must(s.promote('r1', 'alice'));
  if (state === 'rolled_back') must(s.halt('r1', 'alice', 'test'));
  expect(s.controller.get('r1').state).toBe(state);
  return { s, c };
}

function act(s: RolloutService, a: Action): Result<Rollout> {
  switch (a) {
    case 'start': return s.start('r1', 'bob');
    case 'pause': return s.pause('r1', 'bob', 'why not');
    case 'resume': return s.resume('r1', 'bob');
    case 'promote': return s.promote('r1', 'bob');
    case 'halt': return s.halt('r1', 'bob', 'by hand');
    case 'rollback': return s.rollback('r1', 'bob');
  }
}

describe('rollout transitions through the service', () => {
  for (const [state, legal] of Object.entries(LEGAL) as [keyof typeof LEGAL, Action[]][]) {
    it(`in ${state}: ${legal.join(', ') || 'nothing'} allowed, the rest refused with VIGIE_ROLLOUT_STATE`, async () => {
      for (const a of ACTIONS) {
        const { s } = await inState(state);
        const revision = s.store.revision();
        const head = s.audit.head();
        const r = act(s, a);
        if (legal.includes(a)) {
          expect(r.ok, `${a} in ${state}: ${r.ok ? '' : r.error.message}`).toBe(true);
          expect(s.audit.head().seq).toBeGreaterThan(head.seq);
        } else {
          expect(r.ok ? `${a} in ${state} accepted` : r.error.code).toBe('VIGIE_ROLLOUT_STATE');
          expect(r.ok ? '' : r.error.message).toContain(state);
          expect(s.controller.get('r1').state).toBe(state);
          expect(s.store.revision()).toBe(revision);
          expect(s.audit.head()).toEqual(head);
        }
        s.close();
      }
    });
  }

  it('refuses a second live rollout of a kind, a new base under a live rollout, and names unknown rollouts', async () => {
    const { s } = await inState('rolling');
    const b3 = packBundle(dir.path, '0.3.0', t.release);
    const second = await s.create(b3.file, { root: t.root, actor: 'alice', admission: { kind: 'report', file: validationReport(dir.path, b3.sha256) } });
    expect(second.ok ? 'ok' : second.error.code).toBe('VIGIE_ROLLOUT_STATE');
    const base = s.install(b3.file, { root: t.root, actor: 'alice' });
    expect(base.ok ? 'ok' : base.error.code).toBe('VIGIE_ROLLOUT_STATE');
    const missing = s.pause('r9', 'alice');
    expect(missing.ok ? 'ok' : missing.error.code).toBe('VIGIE_ROLLOUT_NOT_FOUND');
    expect(s.controller.all).toHaveLength(1);
    s.close();
    const audit = SqliteAuditSink.open(`${dir.path}/t${n - 1}.db`);
    expect(must(audit).entries().map((e) => e.action)).toEqual(['plan', 'install', 'validation', 'create', 'start']);
    must(audit).close();
  });
});
