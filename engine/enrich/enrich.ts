/** The enrich stage: folds every archived batch into the per-host process table. */
import type { BatchStage, IngestedBatch } from '../pipeline/stage.js';
import { ProcessTable, type ProcessTableOptions } from './process-table.js';

export class EnrichStage implements BatchStage {
  readonly name = 'enrich';
  readonly table: ProcessTable;
  private events = 0;

  constructor(options: ProcessTableOptions = {}) {
    this.table = new ProcessTable(options);
  }

  process(batches: readonly IngestedBatch[]): void {
    for (const b of batches) {
      this.table.apply(b.sensorId, b.batch.events);
      this.events += b.batch.events.length;
    }
  }

  counters(): Record<string, number> {
    const size = this.table.size;
    return {
      events: this.events,
      hosts: size.hosts,
      processes: size.processes,
      evicted_processes: this.table.evictedProcesses,
      unknown_exits: this.table.unknownExits,
    };
  }
}
