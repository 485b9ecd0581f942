/**
 * Keeps the engine's models where the controller says (controller.modelRoutes()): a live model
 * rollout's version is loaded as a canary beside the stable model and scores the hosts its rings
 * reached; when the rollout completes the canary is promoted, when it is rolled back the canary is
 * dropped. Bundles come from the controller's bundle directory and are verified again (signature,
 * digest, feature schema) before the engine loads them. Runs on the controller's tick; commands
 * are sent only when something changed.
 */
import { readFileSync } from 'node:fs';
import type { Result } from '../../common/errors.js';
import type { Logger } from '../../common/log.js';
import type { ModelCommand } from '../../engine/score/model-command.js';
import type { ModelKind } from '../../engine/score/model-source.js';
import type { ModelCard } from '../../models/model-card.js';
import { verifyBundle } from '../bundle/index.js';
import type { ModelRoute } from '../controller/model-routes.js';
import type { TrustStore } from '../trust/index.js';

/** The engine, an analysis host or a score stage. */
export interface ModelTarget {
  modelCommand(c: ModelCommand): Promise<Result<ModelCard | undefined>>;
}

export interface ModelLinkOptions {
  target: ModelTarget;
  trust: TrustStore;
  /** Path of a registered bundle by payload sha256. */
  bundlePath: (sha256: string) => string | undefined;
  featureSchemas: readonly string[];
  log: Logger;
  clock?: () => number;
}

interface Applied {
  kind: ModelKind;
  version: string;
  hosts: string;
}

export class ModelLink {
  /** Canary in place per model name. */
  private readonly canaries = new Map<string, Applied>();
  /** Versions that failed to load, not retried (the rollout should be halted by hand). */
  private readonly refused = new Set<string>();
  readonly counters = { canaries: 0, routes: 0, promotions: 0, drops: 0, refused: 0 };
  private busy: Promise<void> = Promise.resolve();

  constructor(private readonly o: ModelLinkOptions) {}

  /** Applies the routes; calls made while one runs wait for it (the engine sees commands in order). */
  sync(routes: readonly ModelRoute[]): Promise<void> {
    this.busy = this.busy.then(() => this.apply(routes)).catch((e) => this.o.log.error('model link failed', { error: e }));
    return this.busy;
  }

  private async apply(routes: readonly ModelRoute[]): Promise<void> {
    for (const route of routes) {
      const held = this.canaries.get(route.name);
      if (route.canary) {
        const c = route.canary;
        if (held && held.version !== c.version) await this.end(route.name, held, false);
        let now = this.canaries.get(route.name);
        if (!now) {
          const kind = await this.load(route.name, c.version, c.sha256);
          if (!kind) continue;
          now = { kind, version: c.version, hosts: '' };
          this.canaries.set(route.name, now);
        }
        const hosts = c.hosts.join('\n');
        if (hosts !== now.hosts) {
          const r = await this.o.target.modelCommand({ op: 'route', kind: now.kind, hosts: c.hosts });
          if (r.ok) {
            now.hosts = hosts;
            this.counters.routes++;
          }
        }
      } else if (held) {
        // No live rollout any more: complete (the canary became stable) or rolled back.
        await this.end(route.name, held, route.stable?.version === held.version);
      }
    }
  }

  private async load(name: string, version: string, sha256: string): Promise<ModelKind | undefined> {
    const key = `${name}@${version}`;
    if (this.refused.has(key)) return undefined;
    const path = this.o.bundlePath(sha256);
    const fail = (message: string, code = 'VIGIE_BUNDLE_INVALID') => {
      this.refused.add(key);
      this.counters.refused++;
      this.o.log.error('canary model not loaded: its hosts stay on the stable model', { model: key, code, message });
      return undefined;
    };
    if (!path) return fail(`bundle ${sha256} is not registered`);
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      return fail(`bundle ${path} unreadable: ${(e as Error).message}`);
    }
    const v = verifyBundle(bytes, this.o.trust, { nowMs: (this.o.clock ?? Date.now)(), featureSchemas: this.o.featureSchemas, file: path });
    if (!v.ok) return fail(v.error.message, v.error.code);
    const r = await this.o.target.modelCommand({ op: 'canary', source: v.value.payload });
    if (!r.ok || !r.value) return fail(r.ok ? 'no model loaded' : r.error.message, r.ok ? 'VIGIE_MODEL_INVALID' : r.error.code);
    this.counters.canaries++;
    this.o.log.info('canary model loaded', { model: key, kind: r.value.kind });
    return r.value.kind;
  }

  private async end(name: string, held: Applied, promote: boolean): Promise<void> {
    const r = await this.o.target.modelCommand({ op: promote ? 'promote' : 'drop', kind: held.kind });
    if (!r.ok) this.o.log.error(`canary model ${promote ? 'promotion' : 'drop'} failed`, { model: `${name}@${held.version}`, code: r.error.code, message: r.error.message });
    this.canaries.delete(name);
    if (promote) this.counters.promotions++;
    else this.counters.drops++;
  }
}
