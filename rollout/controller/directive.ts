/**
 * What the controller tells a sensor to run, signed like a bundle manifest (rollout/trust).
 * One directive serves every host that should run the same versions, so it is signed once per
 * change, not per host. `serial` only moves forward: a sensor refuses a directive whose serial is
 * not above the last one it accepted, so an old directive cannot be replayed. A rollback is a new
 * directive (higher serial) that names the version to leave in `rollback`.
 */
import type { ContentKind } from '../bundle/manifest.js';

export const DIRECTIVE_FORMAT = 'vigie.directive/1';

export interface DirectiveTarget {
  kind: ContentKind;
  name: string;
  version: string;
  /** sha256 of the bundle payload; the sensor fetches the bundle by it. */
  sha256: string;
}

export interface Directive {
  format: typeof DIRECTIVE_FORMAT;
  serial: number;
  /** ISO 8601. */
  issued: string;
  /** ISO 8601; an expired directive is refused (the sensor keeps running what it has). */
  expires: string;
  /** What to run, one target per kind. A kind not listed: keep what runs. */
  targets: DirectiveTarget[];
  /** Versions the sensor must leave now and never load again, and go back to its last-known-good. */
  rollback: { kind: ContentKind; name: string; version: string }[];
}
