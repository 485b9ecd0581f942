/**
 * Virtual time for the generator. Time is cut into fixed slots; each slot's benign activity is
 * drawn from a random stream keyed by (host, slot), so any window can be generated on its own.
 * An activity starting in a slot ends within MAX_SPAN_MS of the slot's end: a window therefore
 * needs the slots of the MAX_SPAN_MS before it, and no more.
 */

export const SLOT_MS = 60_000;
export const MAX_SPAN_MS = 15 * 60_000;
export const LOOKBACK_SLOTS = Math.ceil(MAX_SPAN_MS / SLOT_MS);
export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;

export function slotOf(timeMs: number): number {
  return Math.floor(timeMs / SLOT_MS);
}

/** Local day index (days since 1970-01-01 in the host's time zone). */
export function dayOf(timeMs: number, utcOffsetMs: number): number {
  return Math.floor((timeMs + utcOffsetMs) / DAY_MS);
}

/** UTC ms of local midnight of a local day index. */
export function dayStart(day: number, utcOffsetMs: number): number {
  return day * DAY_MS - utcOffsetMs;
}

/** Local hour of day, 0..23. */
export function localHour(timeMs: number, utcOffsetMs: number): number {
  return Math.floor((((timeMs + utcOffsetMs) % DAY_MS) + DAY_MS) % DAY_MS / HOUR_MS);
}

/** Local minute of day, 0..1439. */
export function localMinute(timeMs: number, utcOffsetMs: number): number {
  return Math.floor((((timeMs + utcOffsetMs) % DAY_MS) + DAY_MS) % DAY_MS / MINUTE_MS);
}

/** 0 = Sunday ... 6 = Saturday (1970-01-01 was a Thursday). */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function isWorkday(day: number): boolean {
  const w = weekday(day);
  return w >= 1 && w <= 5;
}

/**
 * Relative activity by local hour on a working day. Offices open 8-12 and 14-18, with a lunch
 * dip; servers follow the people they serve, with a floor for machine-to-machine traffic.
 */
const OFFICE = [
  0.02, 0.02, 0.02, 0.02, 0.02, 0.03, 0.1, 0.35, 0.8, 1.0, 1.0, 0.95,
  0.45, 0.55, 0.95, 1.0, 0.95, 0.75, 0.4, 0.15, 0.08, 0.05, 0.03, 0.02,
] as const;
const SERVER = [
  0.15, 0.12, 0.12, 0.12, 0.12, 0.15, 0.25, 0.5, 0.85, 1.0, 1.0, 0.9,
  0.6, 0.65, 0.95, 1.0, 0.95, 0.8, 0.5, 0.35, 0.3, 0.25, 0.2, 0.18,
] as const;

export type Rhythm = 'office' | 'server';

export function intensity(rhythm: Rhythm, timeMs: number, utcOffsetMs: number): number {
  const curve = rhythm === 'office' ? OFFICE : SERVER;
  const base = curve[localHour(timeMs, utcOffsetMs)]!;
  if (isWorkday(dayOf(timeMs, utcOffsetMs))) return base;
  // Weekends: offices are nearly empty, servers keep their machine floor.
  return rhythm === 'office' ? base * 0.05 : Math.min(base, 0.2);
}
