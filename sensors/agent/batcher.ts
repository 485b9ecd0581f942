/**
 * Groups events into frames: a frame is cut at `maxEvents` events or `maxMs` after its first
 * event, whichever comes first. Holds at most one open frame, so it needs no overflow policy.
 */
import type { Event } from '../../common/events.js';

export class Batcher {
  private pending: Event[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly maxEvents: number, private readonly maxMs: number, private readonly cut: (events: Event[]) => void) {}

  add(events: readonly Event[]): void {
    for (let i = 0; i < events.length; ) {
      const room = this.maxEvents - this.pending.length;
      const take = Math.min(room, events.length - i);
      for (let j = 0; j < take; j++) this.pending.push(events[i + j]!);
      i += take;
      if (this.pending.length >= this.maxEvents) this.flush();
    }
    if (this.pending.length > 0 && !this.timer) {
      this.timer = setTimeout(() => this.flush(), this.maxMs);
    }
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.pending.length === 0) return;
    const events = this.pending;
    this.pending = [];
    this.cut(events);
  }

  get size(): number {
    return this.pending.length;
  }
}
