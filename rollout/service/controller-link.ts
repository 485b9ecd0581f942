/**
 * The controller's side of the engine's rollout link (engine/rollout-link): every heartbeat of an
 * enrolled sensor becomes a HostReport for the controller (`observe`), and the engine asks it
 * which signed directive each sensor should hold (`directiveFor`, the DirectiveSource).
 * A release manager's action saved by the CLI in another process is taken in at most `refreshMs`
 * after it was saved (one revision read per refresh; no timer: the check rides on heartbeats).
 * A new directive serial is saved before the directive leaves, so a restart never reissues it.
 * Runs on the engine's ingest path: a failure is counted and logged, never thrown into ingest.
 */
import type { Logger } from '../../common/log.js';
import type { DirectiveSource, HeartbeatObserver } from '../../engine/rollout-link/index.js';
import type { vigie } from '../../proto/gen/vigie.js';
import type { Directive } from '../controller/directive.js';
import type { Signed } from '../trust/index.js';
import { heartbeatToReport, type HostLabels } from './heartbeat-report.js';
import type { RolloutService } from './rollout-service.js';

export interface ControllerLinkOptions {
  /** The host's enrolment labels (site, group); 'default' when unknown. */
  labels?: (sensorId: string) => HostLabels | undefined;
  clock?: () => number;
  /** Longest a change saved by another process waits before it is seen here, ms. */
  refreshMs?: number;
  log?: Logger;
}

export class ControllerLink implements DirectiveSource {
  readonly counters = { heartbeats: 0, directives: 0, errors: 0 };
  private readonly clock: () => number;
  private refreshedMs = -Infinity;

  constructor(private readonly service: RolloutService, private readonly o: ControllerLinkOptions = {}) {
    this.clock = o.clock ?? Date.now;
  }

  readonly observe: HeartbeatObserver = (sensorId: string, tenant: string, hb: vigie.v1.Heartbeat): void => {
    try {
      this.service.controller.ingest(heartbeatToReport(sensorId, tenant, hb, this.o.labels?.(sensorId), this.clock()));
      this.counters.heartbeats++;
    } catch (e) {
      this.failed('heartbeat not taken in', sensorId, e);
    }
  };

  directiveFor(sensorId: string, _tenant: string): Signed<Directive> | undefined {
    try {
      const nowMs = this.clock();
      if (nowMs - this.refreshedMs >= (this.o.refreshMs ?? 1000)) {
        this.refreshedMs = nowMs;
        this.service.refresh();
      }
      const d = this.service.controller.directiveFor(sensorId, nowMs);
      if (d) {
        this.service.noteSerial();
        this.counters.directives++;
      }
      return d;
    } catch (e) {
      this.failed('no directive', sensorId, e);
      return undefined;
    }
  }

  private failed(what: string, sensorId: string, e: unknown): void {
    // Logged for the first few and then every thousandth: a broken store must not flood the log.
    if (this.counters.errors++ < 5 || this.counters.errors % 1000 === 0) this.o.log?.error(`rollout controller: ${what}`, { sensorId, errors: this.counters.errors, error: e });
  }
}
