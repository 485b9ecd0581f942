/**
 * Serialises sends on the ROUTER: zeromq.js allows one send in flight per socket, while acks are
 * produced by archive completions at any time. The queue is bounded by the number of batches in
 * flight (ingest stops reading when too many are pending), so it needs no drop policy. Rollout
 * replies (directives, bundles) share the queue: one per heartbeat or bundle request at most.
 */
import type * as zmq from 'zeromq';
import { ackFrames } from '../../common/wire/frames.js';
import type { Ack } from '../../common/events.js';

export class AckWriter {
  private readonly queue: [Buffer, (Buffer | Uint8Array)[]][] = [];
  private running = false;
  sent = 0;
  failed = 0;

  constructor(private readonly router: zmq.Router) {}

  push(routingId: Buffer, ack: Ack): void {
    this.pushFrames(routingId, ackFrames(ack));
  }

  /** Any message to one sensor (kind frame + payload), in order with the acks. */
  pushFrames(routingId: Buffer, frames: (Buffer | Uint8Array)[]): void {
    this.queue.push([routingId, frames]);
    if (!this.running) void this.drain();
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0 && !this.router.closed) {
        const [rid, frames] = this.queue.shift()!;
        try {
          await this.router.send([rid, ...frames]);
          this.sent++;
        } catch {
          // The sensor went away (or the socket is closing): it will resend and get a DUPLICATE ack.
          this.failed++;
        }
      }
    } finally {
      this.running = false;
    }
  }

  get depth(): number {
    return this.queue.length;
  }
}
