/**
 * Hands archived batches to the stages in arrays: batches that complete together (one archive
 * group commit) are processed together, on the next turn of the event loop.
 * Bounded: beyond `maxQueued` batches the oldest are dropped from processing (they are already
 * archived, so nothing is lost for replay) and counted.
 */
import type { Logger } from '../common/log.js';
import type { BatchStage, IngestedBatch } from './pipeline/stage.js';

export class StageRunner {
  private queue: IngestedBatch[] = [];
  private scheduled = false;
  dropped = 0;
  failures = 0;

  constructor(private readonly stages: readonly BatchStage[], private readonly log: Logger, private readonly maxQueued = 10_000) {}

  push(batch: IngestedBatch): void {
    if (this.queue.length >= this.maxQueued) {
      this.queue.shift();
      this.dropped++;
    }
    this.queue.push(batch);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => void this.flush());
    }
  }

  async flush(): Promise<void> {
    this.scheduled = false;
    const batches = this.queue;
    this.queue = [];
    if (batches.length === 0) return;
    for (const stage of this.stages) {
      try {
        await stage.process(batches);
      } catch (e) {
        // A stage bug must not stop ingest: the batch is archived; count and log it.
        this.failures++;
        this.log.error('stage failed', { stage: stage.name, error: e });
      }
    }
  }

  counters(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = { runner: { dropped: this.dropped, failures: this.failures } };
    for (const s of this.stages) out[s.name] = s.counters();
    return out;
  }
}
