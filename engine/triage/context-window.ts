/**
 * Which telemetry an alert's process context is read from. Two clocks are involved:
 * - event time (the sensor's clock, `Event.timeMs`): the alert's span plus a margin either side;
 * - receive time (the engine's clock, the archive's `receivedMs`): what selects segments and records.
 * They differ by each batch's delay (batching, a spool drained after an outage, a sensor's clock
 * skew, or simulated and replayed data whose event times are far from now). Each detection says
 * how far apart they were for its event: it was stored (`createdMs`, engine clock) shortly after
 * its batch was received. So the receive window is the event window shifted by the smallest and
 * largest of those delays, widened by `slackMs` for events whose delay differed from the
 * detections' (a batch sent earlier or later than the one that fired).
 */
import type { AlertRecord, StoredDetection } from '../store/index.js';

export interface ContextWindowOptions {
  /** Event time before the alert's first and after its last detection (default 10 minutes). */
  marginMs: number;
  /** Receive-time widening (default 15 minutes). */
  slackMs: number;
}

export const CONTEXT_WINDOW_DEFAULTS: ContextWindowOptions = { marginMs: 10 * 60_000, slackMs: 15 * 60_000 };

export interface ContextWindow {
  /** Event time (sensor clock). */
  events: { fromMs: number; toMs: number };
  /** Receive time (engine clock, the archive's receivedMs). */
  received: { fromMs: number; toMs: number };
}

export function contextWindow(alert: Pick<AlertRecord, 'firstMs' | 'lastMs'>, detections: readonly Pick<StoredDetection, 'timeMs' | 'createdMs'>[], o: ContextWindowOptions = CONTEXT_WINDOW_DEFAULTS): ContextWindow {
  const events = { fromMs: alert.firstMs - o.marginMs, toMs: alert.lastMs + o.marginMs };
  let lo = Infinity;
  let hi = -Infinity;
  for (const d of detections) {
    const delay = d.createdMs - d.timeMs;
    if (delay < lo) lo = delay;
    if (delay > hi) hi = delay;
  }
  if (!Number.isFinite(lo)) lo = hi = 0; // no detection read: assume both clocks agree
  return { events, received: { fromMs: events.fromMs + lo - o.slackMs, toMs: events.toMs + hi + o.slackMs } };
}
