/**
 * Pacing a replay by the recorded timestamps. Each event is due, on the replay's wall clock, at the
 * sum of the gaps between consecutive recorded events divided by `speed` (2 = twice as fast as
 * recorded). Two guards, because recorded logs are not clean timelines:
 * - a gap is at most `maxGapMs` (recorded time): a file that concatenates recordings made days or
 *   years apart replays its quiet spells in seconds, not in years;
 * - a gap is at least 0: an event stamped before its predecessor (a skewed lab clock, merged logs)
 *   is due at once, and the timeline goes on from its time, so one backward jump costs one
 *   clamped gap rather than stalling the replay until the clock catches up.
 */

/** "max": as fast as possible (the default). A number: pace by recorded time, this many times faster. */
export type ReplaySpeed = 'max' | number;

export const DEFAULT_MAX_GAP_MS = 10_000;

export class Pacer {
  private last: number | undefined;
  private offset = 0;

  constructor(
    private readonly speed: number,
    private readonly maxGapMs = DEFAULT_MAX_GAP_MS,
  ) {
    if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError('replay speed must be a positive number');
    if (!(maxGapMs >= 0)) throw new RangeError('maxGapMs must be 0 or more');
  }

  /** Wall-clock ms after the replay's start at which the event recorded at `eventTimeMs` is due. */
  dueOffset(eventTimeMs: number): number {
    if (this.last !== undefined) {
      const gap = Math.min(Math.max(eventTimeMs - this.last, 0), this.maxGapMs);
      this.offset += gap / this.speed;
    }
    this.last = eventTimeMs;
    return this.offset;
  }
}
