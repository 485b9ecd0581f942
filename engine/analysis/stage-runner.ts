/**
 * Backpressure: above `highWater` queued batches the runner reports itself full and the analysis
 * feed stops handing batches over (it reads them from the archive later); below half of it,
 * waiters are released. `maxQueued` is a last-resort bound
 * for a stage that stops making progress: beyond it the oldest batches skip processing (they are
 * archived, so replay can still see them) and are counted as dropped.
 *
 * Decodes archived batches and hands them to the stages in arrays: batches that complete together
 * (one archive group commit) are decoded and processed together, on the next turn of the event
 * loop. A batch whose events do not decode is counted and skipped (it stays in the archive).
 */
import { fail, type Result } from '../../common/errors.js';
import type { Logger } from '../../common/log.js';
import { decodeBatch } from '../../common/wire/frames.js';
import type { vigie } from '../../proto/gen/vigie.js';
import { inflateBody } from '../archive/index.js';
import type { ModelCommand } from '../score/model-command.js';
import type { ModelCard } from '../../models/model-card.js';
import { swapsModels, type ArchivedBatch, type BatchStage, type IngestedBatch } from '../pipeline/stage.js';
import type { Downstream } from './downstream.js';

/** Inflates a body read from the archive, then decodes it. */
function decodeArchived(a: ArchivedBatch): Result<vigie.v1.TelemetryBatch> {
  if (!a.compressed) return decodeBatch(a.payload);
  let raw: Uint8Array;
  try {
    raw = inflateBody(a.payload, a.compressed);
  } catch (e) {
    return fail('VIGIE_ARCHIVE_CORRUPT', `archived body does not inflate: ${(e as Error).message}`, { sensor: a.sensorId });
  }
  return decodeBatch(raw);
}

export class StageRunner implements Downstream {
  private queue: ArchivedBatch[] = [];
  private draining: Promise<void> | undefined;
  dropped = 0;
  /** Batches taken off the queue and processed (or skipped as undecodable), in push order. */
  private retired = 0;
  failures = 0;
  decodeFailures = 0;
  decodedEvents = 0;

  constructor(
    private readonly stages: readonly BatchStage[],
    private readonly log: Logger,
    private readonly highWater = 256,
    private readonly maxQueued = 10_000,
    private readonly groupEvents = 2000,
    /** Called after each group with how many batches it retired (the analysis thread reports it). */
    private readonly onProcessed?: (batches: number) => void,
  ) {}

  private roomWaiters: Array<() => void> = [];
  /** Stages start before the first batch is processed (pushes before then queue up). */
  private started: Promise<void> | undefined;

  /** Starts the stages in list order. A stage whose start throws (a bug) is logged and counted, not fatal. */
  start(): Promise<void> {
    this.started ??= (async () => {
      for (const s of this.stages) {
        try {
          await s.start?.();
        } catch (e) {
          this.failures++;
          this.log.error('stage failed to start', { stage: s.name, error: e });
        }
      }
    })();
    return this.started;
  }

  /** True when ingest should stop reading until waitForRoom() resolves. */
  get full(): boolean {
    return this.queue.length >= this.highWater;
  }

  waitForRoom(): Promise<void> {
    if (!this.full) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  private releaseRoom(): void {
    if (this.roomWaiters.length === 0 || this.queue.length > this.highWater / 2) return;
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const w of waiters) w();
  }

  push(batch: ArchivedBatch): void {
    if (this.queue.length >= this.maxQueued) {
      this.queue.shift();
      this.dropped++;
    }
    this.queue.push(batch);
    if (!this.draining) this.draining = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.drain());
  }

  /** Batches are retired in push order, and drops take the oldest: the two together are a prefix. */
  get doneInOrder(): number {
    return this.retired + this.dropped;
  }

  get queued(): number {
    return this.queue.length;
  }

  /**
   * Resolves when every batch pushed so far has been processed, including the work stages hold
   * across batches (rows waiting for a micro-batch): teardown, tests.
   */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
    if (this.queue.length > 0) {
      this.draining = this.drain();
      await this.draining;
    }
    for (const s of this.stages) {
      try {
        await s.flush?.();
      } catch (e) {
        this.failures++;
        this.log.error('stage failed to flush', { stage: s.name, error: e });
      }
    }
  }

  /** One drain at a time, so a host's batches reach the stages in the order they were archived. */
  private async drain(): Promise<void> {
    try {
      await this.start();
      while (this.queue.length > 0) {
        // Take a slice, not the whole queue, so the queue length is what is really waiting.
        const archived = this.queue.splice(0, 64);
        this.releaseRoom();
        await this.process(archived);
      }
      this.releaseRoom();
    } finally {
      this.draining = undefined;
    }
  }

  private async process(archived: ArchivedBatch[]): Promise<void> {
    // Decode and process a few thousand events at a time: decoding a whole group commit (hundreds
    // of batches) before processing keeps every decoded event alive across several young-generation
    // collections, which then promote them all (measured: scavenges of 20 ms, 2.5 s of GC per 1M
    // events). Small groups die young.
    let group: IngestedBatch[] = [];
    let groupEvents = 0;
    let retired = 0;
    for (const a of archived) {
      retired++;
      const decoded = decodeArchived(a);
      if (!decoded.ok) {
        this.decodeFailures++;
        this.log.warn('archived batch does not decode', { sensor: a.sensorId, seq: a.seq, message: decoded.error.message });
        continue;
      }
      this.decodedEvents += decoded.value.events.length;
      group.push({ sensorId: a.sensorId, tenant: a.tenant, seq: a.seq, receivedMs: a.receivedMs, batch: decoded.value });
      groupEvents += decoded.value.events.length;
      if (groupEvents >= this.groupEvents) {
        await this.runStages(group);
        group = [];
        groupEvents = 0;
        this.retired += retired;
        this.onProcessed?.(retired);
        retired = 0;
        // Let ingest, archive completions and acks run between groups: a long synchronous run
        // here would stall the whole engine (measured: flushes of 200 records, ingest paused half
        // the time).
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    if (group.length > 0) await this.runStages(group);
    this.retired += retired;
    if (retired > 0) this.onProcessed?.(retired);
  }

  private async runStages(batches: IngestedBatch[]): Promise<void> {
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

  async close(): Promise<void> {
    await this.flush();
    for (const s of this.stages) {
      try {
        await s.close?.();
      } catch (e) {
        this.log.error('stage failed to close', { stage: s.name, error: e });
      }
    }
  }

  info(): Record<string, Record<string, string>> {
    const out: Record<string, Record<string, string>> = {};
    for (const s of this.stages) if (s.info) out[s.name] = s.info();
    return out;
  }

  /** Hands the model to the stage that scores with models. */
  swapModel(source: string | Uint8Array, kind?: 'process' | 'network'): Promise<Result<ModelCard>> {
    const stage = this.stages.find(swapsModels);
    if (!stage) return Promise.resolve(fail('VIGIE_MODEL_INVALID', 'no stage of this engine scores with models'));
    return stage.swapModel(source, kind);
  }

  /** Hands a model command (canary, route, promote, drop) to the stage that scores with models. */
  modelCommand(c: ModelCommand): Promise<Result<ModelCard | undefined>> {
    const stage = this.stages.find(swapsModels);
    if (!stage) return Promise.resolve(fail('VIGIE_MODEL_INVALID', 'no stage of this engine scores with models'));
    return stage.modelCommand(c);
  }

  counters(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = { runner: { dropped: this.dropped, failures: this.failures, decode_failures: this.decodeFailures, decoded_events: this.decodedEvents } };
    for (const s of this.stages) out[s.name] = s.counters();
    return out;
  }
}
