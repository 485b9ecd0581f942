/**
 * The fuzz pass: hostile events (fuzz-events.ts) through the candidate in the sensor's runtime
 * (pack-runner.ts), one event per frame so the input that breaks the pack is known exactly.
 * A crash or a blown budget blocks; the input is shown truncated and written whole to `saveDir`.
 * Inputs are encoded to the wire as the sensor sends them: what cannot survive the wire (a lone
 * surrogate becomes U+FFFD) reaches the pack as it would on a host.
 */
import type { Event } from '../../common/events.js';
import { encodeEvents } from '../../common/wire/frames.js';
import type { SignaturePack } from '../../signatures/pack/index.js';
import { eventText, saveEvent } from './event-text.js';
import { fuzzInputs } from './fuzz-events.js';
import { round } from './judge.js';
import type { ValidateOptions } from './options.js';
import { PackRunner } from './pack-runner.js';
import { block, pass, warn, type Check } from './report.js';

export async function fuzzPack(pack: SignaturePack, corpus: readonly Event[], o: ValidateOptions): Promise<Check> {
  if (o.fuzz <= 0) return warn('fuzz', 'not run (--fuzz 0): the pack was not tried on hostile inputs');
  const started = await PackRunner.start(pack, { budgetMs: o.budgetMs, memoryMb: o.memoryMb });
  if (!started.ok) return warn('fuzz', `not run: the candidate did not load (${started.failure.message})`);
  const runner = started.runner;
  const deadline = performance.now() + o.timeLimitMs;
  let tried = 0;
  let hits = 0;
  let slowest = { ms: 0, what: '' };
  try {
    for (const input of fuzzInputs(pack, corpus, o.fuzz, o.seed)) {
      if (performance.now() > deadline) {
        return warn('fuzz', `stopped at the ${o.timeLimitMs} ms time limit after ${tried} of ${o.fuzz} hostile inputs (no failure so far)`, { metrics: { tried, seed: o.seed } });
      }
      const out = await runner.run(encodeEvents([input.event]));
      tried++;
      o.onProgress?.('fuzz', tried, o.fuzz);
      if (!out.ok) {
        const saved = o.saveDir !== undefined ? saveEvent(o.saveDir, 'vigie-fuzz', input.event) : undefined;
        const f = out.failure;
        return block('fuzz', f.code, `${f.kind} on hostile input ${tried} of ${o.fuzz} (${input.what}): ${f.message}; input: ${eventText(input.event)}${saved ? `; saved to ${saved}` : ''}`, {
          metrics: { failure: f.kind, input: tried, seed: o.seed, ...(saved ? { saved } : {}) },
          problems: [{ code: f.code, message: `${f.kind} on ${input.what}: ${f.message}`, location: { offset: tried - 1, ...(saved ? { file: saved } : {}) } }],
        });
      }
      hits += out.hits.length;
      if (out.ms > slowest.ms) slowest = { ms: out.ms, what: input.what };
    }
  } finally {
    await runner.close();
  }
  return pass('fuzz', `${tried} hostile inputs (seed ${o.seed}): no crash, no budget blown; slowest ${round(slowest.ms)} ms (${slowest.what})`, { tried, hits, slowestMs: round(slowest.ms), seed: o.seed });
}
