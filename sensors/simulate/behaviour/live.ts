/**
 * Processes alive at a given virtual time, as their ProcessStart events: the snapshot a
 * collector reports when it starts mid-day, so that the engine knows explorer.exe before the
 * first browser tab. Benign activities end within MAX_SPAN_MS of their slot, so only the last
 * MAX_SPAN_MS + one slot of activity can still be running; sessions and scenarios are read whole.
 */
import { processKey } from '../../../common/events.js';
import { dayOf, MAX_SPAN_MS, SLOT_MS } from './clock.js';
import { byTime, type TimedEvent } from './emit.js';
import type { VirtualHost } from './fleet.js';
import { sessionFor } from './session.js';
import { HostStream, type ScenarioRuns } from './stream.js';

export function liveAt(host: VirtualHost, atMs: number, rate: number, scenarios: ScenarioRuns): TimedEvent[] {
  const live = new Map<string, TimedEvent>();
  const apply = (e: TimedEvent) => {
    if (e.timeMs >= atMs) return;
    if (e.processStart) live.set(processKey(e.processStart.process), e);
    else if (e.processExit) live.delete(processKey(e.processExit.process));
  };
  const session = sessionFor(host, dayOf(atMs, host.utcOffsetMs));
  if (session) session.events.forEach(apply);
  for (const run of scenarios.runsFor(host.name)) run.events.forEach(apply);
  new HostStream(host, atMs - MAX_SPAN_MS - SLOT_MS, rate, null).take(atMs).forEach(apply);
  return [...live.values()].sort(byTime);
}
