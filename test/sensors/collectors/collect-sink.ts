/** A CollectorSink that records what it is given, with a way to wait for a matching event. */
import type { VigieProblem } from '../../../common/errors.js';
import type { Event } from '../../../common/events.js';
import type { CollectorSink } from '../../../sensors/collectors/collector.js';

export class CollectSink implements CollectorSink {
  readonly received: Event[] = [];
  readonly problems: VigieProblem[] = [];
  /** Sizes of the arrays handed to events(): the collectors batch. */
  readonly batches: number[] = [];
  private waiters: Array<() => void> = [];

  events(events: Event[]): void {
    this.batches.push(events.length);
    this.received.push(...events);
    for (const w of this.waiters.splice(0)) w();
  }

  problem(problem: VigieProblem): void {
    this.problems.push(problem);
  }

  /** Resolves with the first received event matching `pred`; rejects after timeoutMs. */
  async waitFor(pred: (e: Event) => boolean, timeoutMs = 5000, what = 'event'): Promise<Event> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find(pred);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 100));
        this.waiters.push(() => { clearTimeout(t); resolve(); });
      });
    }
  }
}
