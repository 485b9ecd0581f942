/**
 * What a RolloutController must keep across a restart (rollout/service saves it in SQLite).
 * The host table is not part of it: host health is rebuilt from the next heartbeats.
 */
import type { ContentKind } from '../bundle/manifest.js';
import type { GaVersion, TenantControl } from '../rings/tenant-controls.js';
import type { Directive } from './directive.js';
import type { Rollout } from './rollout.js';

export const CONTROLLER_STATE_FORMAT = 'vigie.controller-state/1';

export interface ControllerState {
  format: typeof CONTROLLER_STATE_FORMAT;
  rollouts: Rollout[];
  /** Generally available versions per kind, oldest first. */
  ga: { kind: ContentKind; name: string; history: GaVersion[] }[];
  controls: TenantControl[];
  /** Versions left by a rollback, named in every directive since. */
  rolledBack: Directive['rollback'];
  /** Number of the next rollout id (r1, r2...). */
  nextId: number;
  /** Last directive serial issued; the next one is higher. */
  lastSerial: number;
}
