/**
 * The engine's side of content delivery: answers a heartbeat whose directive serial is behind with
 * the sensor's current signed directive, and a bundle request with the bundle's bytes. Frames only;
 * ingest sends them on its ROUTER socket.
 */
import { canonicalJson, type Signed } from '../../rollout/trust/index.js';
import type { Directive } from '../../rollout/controller/directive.js';
import type { vigie } from '../../proto/gen/vigie.js';
import { bundleDataFrames, directiveFrames } from '../../common/wire/rollout-frames.js';
import type { BundleDirectory } from './bundle-directory.js';
import { NO_DIRECTIVES, type DirectiveSource } from './directive-source.js';

export type Frames = (Buffer | Uint8Array)[];

/** Sees every heartbeat of an enrolled sensor (the controller turns them into HostReports). */
export type HeartbeatObserver = (sensorId: string, tenant: string, heartbeat: vigie.v1.Heartbeat) => void;

export class RolloutLink {
  /** One encoding per directive object: many sensors get the same one. */
  private readonly encoded = new WeakMap<Signed<Directive>, Frames>();
  readonly counters = { directivesSent: 0, bundleRequests: 0, bundleErrors: 0 };

  /** Set by whoever drives rollouts (the controller); both may change while the engine runs. */
  constructor(private readonly bundles: BundleDirectory, public directives: DirectiveSource = NO_DIRECTIVES, public observer?: HeartbeatObserver) {}

  /**
   * The directive frames to send after this heartbeat, or undefined when the sensor is current.
   * A sensor that does not report a serial (no updater) reads as 0: it is sent the directive and
   * ignores it, one small frame per heartbeat.
   */
  heartbeatReply(sensorId: string, tenant: string, heartbeat: vigie.v1.Heartbeat): Frames | undefined {
    this.observer?.(sensorId, tenant, heartbeat);
    const d = this.directives.directiveFor(sensorId, tenant);
    if (!d || d.signed.serial <= heartbeat.directiveSerial) return undefined;
    let frames = this.encoded.get(d);
    if (!frames) {
      // The canonical JSON is exactly what the signatures cover.
      frames = directiveFrames({ signed: Buffer.from(canonicalJson(d.signed), 'utf8'), signatures: d.signatures.map((s) => ({ keyid: s.keyid, sig: s.sig })) });
      this.encoded.set(d, frames);
    }
    this.counters.directivesSent++;
    return frames;
  }

  /** The answer to a bundle request: the bytes, or an error code the sensor reports. */
  async bundleReply(sha256: string): Promise<Frames> {
    this.counters.bundleRequests++;
    const r = await this.bundles.read(sha256);
    if (r.ok) return bundleDataFrames({ sha256, bytes: r.value });
    this.counters.bundleErrors++;
    return bundleDataFrames({ sha256, errorCode: r.error.code, errorMessage: r.error.message });
  }

  get bundleCounters(): BundleDirectory['counters'] {
    return this.bundles.counters;
  }
}
