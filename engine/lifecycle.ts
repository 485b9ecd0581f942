/**
 * Start-up and teardown as data (STYLE.md §2): a list of named steps started in order and
 * stopped in reverse. If a step fails to start, the steps already started are stopped, and
 * teardown always runs every stop even when one of them throws.
 */
import type { Logger } from '../common/log.js';

export interface LifecycleStep {
  name: string;
  start(): void | Promise<void>;
  stop?(): void | Promise<void>;
}

export class Lifecycle {
  private started: LifecycleStep[] = [];

  constructor(private readonly steps: readonly LifecycleStep[], private readonly log: Logger) {}

  async start(): Promise<void> {
    for (const step of this.steps) {
      try {
        await step.start();
        this.started.push(step);
      } catch (e) {
        this.log.error('start-up step failed', { step: step.name, error: e });
        await this.stop();
        throw e;
      }
    }
  }

  async stop(): Promise<void> {
    const steps = this.started.reverse();
    this.started = [];
    for (const step of steps) {
      try {
        await step.stop?.();
      } catch (e) {
        this.log.error('teardown step failed', { step: step.name, error: e });
      }
    }
  }
}
