/**
 * The score stage's models per kind: the stable slot every host uses, and at most one canary
 * slot for the hosts a model rollout has reached (model-command.ts). Each slot has its own
 * micro-batcher, so a micro-batch is scored by one model version, and a host's rows by the
 * version its ring has reached. Lineage is shared: scores are relative to each model's threshold.
 *
 * Network windows closed by the periodic drain (hosts that went quiet) arrive without a host
 * and are scored by the stable model.
 */
import type { LoadedModel } from '../../models/onnx/index.js';
import type { ModelSlot } from './model-slot.js';
import type { ModelKind } from './model-source.js';

export const MODEL_KINDS: readonly ModelKind[] = ['process', 'network'];

export class ModelRoutes<T> {
  readonly stable: Record<ModelKind, ModelSlot<T>>;
  private readonly canary: Partial<Record<ModelKind, ModelSlot<T>>> = {};
  private readonly hosts: Record<ModelKind, ReadonlySet<string>> = { process: new Set(), network: new Set() };

  constructor(private readonly makeSlot: (kind: ModelKind) => ModelSlot<T>) {
    this.stable = { process: makeSlot('process'), network: makeSlot('network') };
  }

  /** The slot that scores this host's rows of a kind, if it has a model. */
  slotFor(kind: ModelKind, sensorId: string): ModelSlot<T> | undefined {
    const c = this.canary[kind];
    const slot = c?.model && this.hosts[kind].has(sensorId) ? c : this.stable[kind];
    return slot.model ? slot : undefined;
  }

  /** Whether any host's rows of this kind are scored. */
  scores(kind: ModelKind): boolean {
    return this.stable[kind].model !== undefined || this.canary[kind]?.model !== undefined;
  }

  canaryOf(kind: ModelKind): ModelSlot<T> | undefined {
    return this.canary[kind];
  }

  canaryHosts(kind: ModelKind): number {
    return this.hosts[kind].size;
  }

  /** Puts a checked model in a fresh canary slot; an earlier canary is flushed and closed. */
  async setCanary(kind: ModelKind, model: LoadedModel): Promise<void> {
    const slot = this.makeSlot(kind);
    await slot.install(model);
    const old = this.canary[kind];
    this.canary[kind] = slot;
    await old?.close();
  }

  setHosts(kind: ModelKind, hosts: readonly string[]): void {
    this.hosts[kind] = new Set(hosts);
  }

  /** The canary's model becomes the stable one (after its queued rows are scored). */
  async promote(kind: ModelKind): Promise<boolean> {
    const c = this.canary[kind];
    if (!c) return false;
    const model = await c.release();
    delete this.canary[kind];
    this.hosts[kind] = new Set();
    if (model) await this.stable[kind].install(model);
    return model !== undefined;
  }

  /** Scores what the canary holds, then closes it; its hosts go back to the stable model. */
  async drop(kind: ModelKind): Promise<boolean> {
    const c = this.canary[kind];
    if (!c) return false;
    delete this.canary[kind];
    this.hosts[kind] = new Set();
    await c.close();
    return true;
  }

  /** Every slot in use, stable first (flush and close order). */
  all(kind: ModelKind): ModelSlot<T>[] {
    const c = this.canary[kind];
    return c ? [this.stable[kind], c] : [this.stable[kind]];
  }
}
