/**
 * Which event of a frame broke a pack: halves of the frame are replayed in fresh sensor workers
 * until one event alone fails (about log2(frame) loads). When only the frame as a whole fails
 * (many events each a little slow), there is no single culprit and the frame is the location.
 */
import type { Event } from '../../common/events.js';
import { encodeEvents } from '../../common/wire/frames.js';
import type { SignaturePack } from '../../signatures/pack/index.js';
import { PackRunner, type RunFailure, type RunnerLimits } from './pack-runner.js';

export interface Culprit {
  /** Index in the given events. */
  index: number;
  failure: RunFailure;
}

export async function isolateFailure(pack: SignaturePack, events: readonly Event[], limits: RunnerLimits, deadlineMs: number): Promise<Culprit | undefined> {
  let lo = 0;
  let hi = events.length;
  let found: RunFailure | undefined;
  while (hi - lo > 1 && performance.now() < deadlineMs) {
    const mid = (lo + hi) >> 1;
    const left = await failureOf(pack, events.slice(lo, mid), limits);
    if (left) {
      hi = mid;
      found = left;
      continue;
    }
    const right = await failureOf(pack, events.slice(mid, hi), limits);
    if (!right) return undefined;
    lo = mid;
    found = right;
  }
  if (hi - lo !== 1) return undefined;
  found ??= await failureOf(pack, events.slice(lo, hi), limits);
  return found ? { index: lo, failure: found } : undefined;
}

async function failureOf(pack: SignaturePack, events: Event[], limits: RunnerLimits): Promise<RunFailure | undefined> {
  const started = await PackRunner.start(pack, limits);
  if (!started.ok) return started.failure;
  try {
    const r = await started.runner.run(encodeEvents(events));
    return r.ok ? undefined : r.failure;
  } finally {
    await started.runner.close();
  }
}
