/**
 * A host's events as a stream over virtual time. Sources are "runs", each already in time order:
 * one per slot of benign activity, one per day of user session, one per scheduled scenario.
 * A small heap merges them. When the stream is asked for events before T, every slot starting
 * before T has been generated, and no run can still produce an event before T: the answer is
 * final. Ties are broken by (run kind, run index), never by generation order, so any window
 * gives the same events in the same order.
 */
import { dayOf, LOOKBACK_SLOTS, SLOT_MS, slotOf } from './clock.js';
import type { TimedEvent } from './emit.js';
import type { VirtualHost } from './fleet.js';
import { sessionFor, type Session } from './session.js';
import { generateSlot } from './slot.js';

interface Run {
  readonly ev: readonly TimedEvent[];
  pos: number;
  /** 0 session day, 1 slot, 2 scenario. */
  readonly kind: number;
  readonly id: number;
}

/** Where a stream finds scenario events for its host (the Behaviour's schedule). */
export interface ScenarioRuns {
  /** Append-only list of (scenario id, this host's events in time order). */
  runsFor(hostName: string): ReadonlyArray<{ readonly id: number; readonly events: readonly TimedEvent[] }>;
}

function before(a: Run, b: Run): boolean {
  const ta = a.ev[a.pos]!.timeMs;
  const tb = b.ev[b.pos]!.timeMs;
  if (ta !== tb) return ta < tb;
  if (a.kind !== b.kind) return a.kind < b.kind;
  return a.id < b.id;
}

export class HostStream {
  private readonly heap: Run[] = [];
  private nextSlot: number;
  private cursor: number;
  private day = Number.NaN;
  private session: Session | null = null;
  private scenariosSeen = 0;
  /** Events handed out so far. */
  emitted = 0;

  constructor(
    readonly host: VirtualHost,
    fromMs: number,
    private readonly rate: number,
    private readonly scenarios: ScenarioRuns | null,
  ) {
    this.cursor = fromMs;
    this.nextSlot = slotOf(fromMs) - LOOKBACK_SLOTS;
  }

  /** Virtual time up to which events have been handed out (exclusive). */
  get position(): number {
    return this.cursor;
  }

  /** Events with position <= time < toMs, in order; advances the position to toMs. */
  take(toMs: number): TimedEvent[] {
    const out: TimedEvent[] = [];
    if (toMs <= this.cursor) return out;
    this.pullScenarios();
    const host = this.host;
    while (this.nextSlot * SLOT_MS < toMs) {
      const slot = this.nextSlot++;
      const day = dayOf(slot * SLOT_MS, host.utcOffsetMs);
      if (day !== this.day) {
        this.day = day;
        this.session = sessionFor(host, day);
        if (this.session) this.push({ ev: this.session.events, pos: 0, kind: 0, id: day });
      }
      const events = generateSlot(host, slot, this.session, this.rate);
      if (events.length > 0) this.push({ ev: events, pos: 0, kind: 1, id: slot });
    }
    const heap = this.heap;
    const from = this.cursor;
    while (heap.length > 0) {
      const top = heap[0]!;
      const e = top.ev[top.pos]!;
      if (e.timeMs >= toMs) break;
      if (e.timeMs >= from) out.push(e);
      if (++top.pos === top.ev.length) {
        const last = heap.pop()!;
        if (heap.length > 0) {
          heap[0] = last;
          this.down(0);
        }
      } else {
        this.down(0);
      }
    }
    this.cursor = toMs;
    this.emitted += out.length;
    return out;
  }

  private pullScenarios(): void {
    if (!this.scenarios) return;
    const runs = this.scenarios.runsFor(this.host.name);
    for (; this.scenariosSeen < runs.length; this.scenariosSeen++) {
      const r = runs[this.scenariosSeen]!;
      if (r.events.length > 0) this.push({ ev: r.events, pos: 0, kind: 2, id: r.id });
    }
  }

  private push(run: Run): void {
    const heap = this.heap;
    heap.push(run);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private down(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && before(heap[l]!, heap[m]!)) m = l;
      if (r < n && before(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  }
}
