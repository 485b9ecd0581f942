/**
 * One slot of one host's benign activity: its scheduled jobs, then Poisson-many random
 * activities from each of the role's sources, scaled by the time of day, the host's own activity
 * factor and the rate multiplier. A pure function of (host, slot, rate).
 */
import { PROFILES } from './activities/profiles.js';
import type { ClockJob, SlotCtx } from './activities/types.js';
import { bootSet } from './boot.js';
import { dayOf, intensity, isWorkday, localHour, SLOT_MS } from './clock.js';
import { Builder, byTime, slotBand, type TimedEvent } from './emit.js';
import type { VirtualHost } from './fleet.js';
import { mix, Rng } from './prng.js';
import type { Session } from './session.js';

const PER_SLOT = SLOT_MS / 60_000;

const offsets = new WeakMap<VirtualHost, Int32Array>();

/** Host-specific offsets of the role's scheduled jobs, so that hosts do not all run a job the same minute. */
function jobOffsets(host: VirtualHost, jobs: readonly ClockJob[]): Int32Array {
  let o = offsets.get(host);
  if (!o) {
    o = Int32Array.from(jobs, (job) => (job.jitter > 1 ? mix(host.seed, 0x10b, job.id) % job.jitter : 0));
    offsets.set(host, o);
  }
  return o;
}

/**
 * Generates slot `slot` of `host`. `session` is the user's session on the slot's local day (or
 * null). Returns the events in time order (ties keep emission order).
 */
export function generateSlot(host: VirtualHost, slot: number, session: Session | null, rate: number): TimedEvent[] {
  const t0 = slot * SLOT_MS;
  const out: TimedEvent[] = [];
  const rng = new Rng(host.seed, 0x5107, slot);
  const b = new Builder(host, rng, out, '', slotBand(host, slot));
  const inSession = session !== null && t0 + SLOT_MS > session.activeFrom && t0 <= session.activeTo;
  const ctx: SlotCtx = { host, b, rng, boot: bootSet(host), session: inSession ? session : null };
  const profile = PROFILES[host.role];

  const offset = host.utcOffsetMs;
  const minute = Math.floor((t0 + offset) / 60_000);
  const jobOffset = jobOffsets(host, profile.clock);
  for (let j = 0; j < profile.clock.length; j++) {
    const job = profile.clock[j]!;
    if (job.workdaysOnly && !isWorkday(dayOf(t0, offset))) continue;
    if (job.hours) {
      const h = localHour(t0, offset);
      if (h < job.hours[0] || h >= job.hours[1]) continue;
    }
    const k = minute - job.phase - jobOffset[j]!;
    if (((k % job.period) + job.period) % job.period !== 0) continue;
    job.run(ctx, t0 + (job.spreadMs ? rng.int(job.spreadMs) : 0));
  }

  const scale = host.activity * rate * PER_SLOT;
  for (const source of profile.sources) {
    const session = source.rhythm === 'session';
    if (session && !inSession) continue;
    const mean = source.perMinute(host) * scale * intensity(session ? 'office' : source.rhythm, t0, offset);
    for (let n = rng.poisson(mean); n > 0; n--) {
      const t = t0 + rng.int(SLOT_MS);
      const activity = rng.choose(source.table);
      if (session && (t < ctx.session!.activeFrom || t > ctx.session!.activeTo)) continue;
      activity(ctx, t);
    }
  }
  if (out.length > 1) out.sort(byTime);
  return out;
}
