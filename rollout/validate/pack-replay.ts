/**
 * Replays the corpus through the candidate pack and the current one, each in the sensor's own
 * signature runtime (pack-runner.ts), frame by frame, as hosts would match it.
 *
 * Timing. Both packs are timed in the same run, interleaved frame by frame, beside a third worker
 * with an empty pack: its time (decode, messaging) is what any pack costs, and subtracting it
 * leaves each pack's own matching time. The order of the three rotates each frame, every frame is
 * timed `cpuRounds` times (more on a small corpus) and its fastest time kept: a busy machine
 * only ever adds time, so the minimum is the fairest reading of both sides.
 */
import type { Event } from '../../common/events.js';
import { encodeEvents } from '../../common/wire/frames.js';
import { PACK_FORMAT, type SignaturePack } from '../../signatures/pack/index.js';
import { eventText } from './event-text.js';
import { isolateFailure } from './isolate.js';
import { judgeCpu, judgeDetections, round } from './judge.js';
import type { ValidateOptions } from './options.js';
import { PackRunner, type RunFailure } from './pack-runner.js';
import { block, pass, warn, type Check } from './report.js';

type Side = 'candidate' | 'current' | 'baseline';

interface SideState {
  runner: PackRunner | undefined;
  /** Per frame, fastest time over the rounds. */
  ms: Float64Array;
  hits: number;
  perRule: Map<string, number>;
  failure?: { frame: number; failure: RunFailure };
}

/** A small corpus is timed over more passes: at least this many frame runs per side. */
const MIN_TIMED_FRAMES = 40;
const MAX_ROUNDS = 20;

const EMPTY_PACK: SignaturePack = { format: PACK_FORMAT, name: 'vigie-validate-baseline', version: '0.0.0', created: new Date(0).toISOString(), compiler: 'validate', rules: [] };

export async function replayPack(candidate: SignaturePack, current: SignaturePack | undefined, events: readonly Event[], o: ValidateOptions): Promise<Check[]> {
  const limits = { budgetMs: o.budgetMs, memoryMb: o.memoryMb };
  const frames: Uint8Array[] = [];
  for (let i = 0; i < events.length; i += o.batchEvents) frames.push(encodeEvents(events.slice(i, i + o.batchEvents)));

  const cand = await PackRunner.start(candidate, limits);
  if (!cand.ok) {
    const f = cand.failure;
    return [
      block('load', f.code, `the sensor's signature worker did not load the candidate (${f.kind}): ${f.message}`, { problems: cand.problems, metrics: { failure: f.kind } }),
      ...notMeasured('the candidate did not load'),
    ];
  }
  const sides = new Map<Side, SideState>();
  const state = (runner: PackRunner | undefined): SideState => ({ runner, ms: new Float64Array(frames.length).fill(Infinity), hits: 0, perRule: new Map() });
  sides.set('candidate', state(cand.runner));
  let currentProblem = '';
  if (current) {
    const cur = await PackRunner.start(current, limits);
    if (cur.ok) sides.set('current', state(cur.runner));
    else currentProblem = `the current pack ${current.version} did not load: ${cur.failure.message}`;
  } else {
    currentProblem = 'no current pack';
  }
  const base = await PackRunner.start(EMPTY_PACK, limits);
  sides.set('baseline', state(base.ok ? base.runner : undefined));
  const checks: Check[] = [pass('load', `the sensor's signature worker loaded ${candidate.rules.length} rules`)];

  const deadline = performance.now() + o.timeLimitMs;
  let overTime = false;
  const order: Side[] = ['candidate', 'current', 'baseline'];
  const rounds = Math.min(MAX_ROUNDS, Math.max(o.cpuRounds, Math.ceil(MIN_TIMED_FRAMES / Math.max(1, frames.length))));
  const total = frames.length * rounds;
  let done = 0;
  try {
    rounds: for (let r = 0; r < rounds; r++) {
      for (let f = 0; f < frames.length; f++) {
        if (performance.now() > deadline) {
          overTime = true;
          break rounds;
        }
        for (let k = 0; k < 3; k++) {
          const side = order[(f + r + k) % 3]!;
          const s = sides.get(side);
          if (!s?.runner || s.failure) continue;
          const out = await s.runner.run(frames[f]!);
          if (!out.ok) {
            s.failure = { frame: f, failure: out.failure };
            if (side === 'candidate') break rounds;
            continue;
          }
          if (out.ms < s.ms[f]!) s.ms[f] = out.ms;
          if (r === 0) {
            s.hits += out.hits.length;
            for (const h of out.hits) s.perRule.set(h.ruleId, (s.perRule.get(h.ruleId) ?? 0) + 1);
          }
        }
        o.onProgress?.('replay', ++done, total);
      }
    }
  } finally {
    for (const s of sides.values()) await s.runner?.close();
  }

  const c = sides.get('candidate')!;
  if (c.failure) {
    checks.push(await failureCheck(candidate, c.failure, events, o));
    return [...checks, ...notMeasured(`the candidate failed (${c.failure.failure.kind})`)];
  }
  if (overTime) {
    checks.push(block('replay', 'VIGIE_VALIDATION_BLOCKED', `timeout: the replay did not finish within the ${o.timeLimitMs} ms time limit (${done} of ${total} frame runs)`, { metrics: { failure: 'timeout', frames: done } }));
    return [...checks, ...notMeasured('the replay did not finish')];
  }
  const slowest = Math.max(...c.ms);
  checks.push(pass('replay', `${events.length} events in ${frames.length} frames of ${o.batchEvents}: no crash, no budget blown (slowest frame ${round(slowest)} ms of ${o.budgetMs})`, { frames: frames.length, slowestFrameMs: round(slowest) }));

  const cur = sides.get('current');
  if (cur?.failure) currentProblem = `the current pack failed in frame ${cur.failure.frame}: ${cur.failure.failure.message}`;
  const curOk = cur && !cur.failure ? cur : undefined;
  const detections = judgeDetections({ detections: c.hits, events: events.length }, curOk && { detections: curOk.hits, events: events.length }, o.thresholds, 'signature hits');
  if (detections.verdict === 'block') detections.detail += `; top rules: ${topRules(c.perRule, curOk?.perRule)}`;
  if (!curOk) detections.detail += ` (${currentProblem})`;
  checks.push(detections);

  const baseline = sides.get('baseline')!;
  const own = (s: SideState): number => ownTime(s.ms, baseline.runner && !baseline.failure ? baseline.ms : undefined);
  const cpu = judgeCpu({ ms: own(c), events: events.length }, curOk && { ms: own(curOk), events: events.length }, o.thresholds,
    { baselineUs: baseline.runner ? round((1000 * sum(baseline.ms)) / Math.max(1, events.length)) : -1, rounds });
  if (!curOk) cpu.detail += ` (${currentProblem})`;
  checks.push(cpu);
  return checks;
}

/** A pack's own time: each frame's time less the empty pack's on the same frame. */
function ownTime(ms: Float64Array, baseline: Float64Array | undefined): number {
  let t = 0;
  for (let i = 0; i < ms.length; i++) t += Math.max(0, ms[i]! - (baseline?.[i] ?? 0));
  return t;
}

const sum = (a: Float64Array): number => a.reduce((x, y) => x + y, 0);

function topRules(cand: Map<string, number>, cur: Map<string, number> | undefined): string {
  return [...cand.entries()]
    .map(([id, n]) => ({ id, n, was: cur?.get(id) ?? 0 }))
    .sort((a, b) => b.n - b.was - (a.n - a.was))
    .slice(0, 3)
    .map((r) => `${r.id} ${r.n} (was ${r.was})`)
    .join(', ');
}

async function failureCheck(pack: SignaturePack, at: { frame: number; failure: RunFailure }, events: readonly Event[], o: ValidateOptions): Promise<Check> {
  const { frame, failure } = at;
  const first = frame * o.batchEvents;
  const frameEvents = events.slice(first, first + o.batchEvents);
  // Isolation gets its own time: the verdict is already known, this only names the event.
  const culprit = await isolateFailure(pack, frameEvents, { budgetMs: o.budgetMs, memoryMb: o.memoryMb }, performance.now() + Math.max(10_000, 12 * o.budgetMs));
  const where = culprit
    ? `event ${first + culprit.index} of the corpus: ${eventText(frameEvents[culprit.index]!)}`
    : `frame ${frame} (events ${first}-${first + frameEvents.length - 1}); no single event fails alone`;
  return block('replay', failure.code, `${failure.kind}: ${failure.message}; at ${where}`, {
    metrics: { failure: failure.kind, frame, ...(culprit ? { event: first + culprit.index } : {}) },
    problems: [{ code: failure.code, message: `${failure.kind}: ${failure.message}`, location: { offset: culprit ? first + culprit.index : first } }],
  });
}

function notMeasured(why: string): Check[] {
  return [warn('detections', `not measured: ${why}`), warn('cpu', `not measured: ${why}`)];
}
