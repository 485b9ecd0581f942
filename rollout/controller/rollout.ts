/**
 * One rollout and its state machine:
 *
 *   validated -> rolling (ring 0 .. last) -> complete
 *                  |  ^        |
 *                  v  |        v
 *                 held       halted -> rolled_back
 *                 paused
 *
 * `rolling` bakes each ring; when the bake is over and every gate passes, the next ring starts.
 * A gate that cannot decide (too few hosts, too little exposure) holds the rollout and alerts;
 * it moves again when the data arrives. A failed gate halts it and the controller rolls the
 * affected hosts back at once. A release manager may pause, resume, promote (end a bake early,
 * never past a failed gate), halt or roll back.
 */
import type { ContentKind } from '../bundle/manifest.js';
import type { GateResult } from '../gates/gate.js';
import type { Baseline } from './cohort.js';

export type RolloutState = 'validated' | 'rolling' | 'held' | 'paused' | 'complete' | 'halted' | 'rolled_back';

export type RolloutAction = 'start' | 'advance' | 'hold' | 'pause' | 'resume' | 'promote' | 'complete' | 'halt' | 'rollback';

export interface Rollout {
  id: string;
  kind: ContentKind;
  name: string;
  version: string;
  sha256: string;
  /** The version it replaces (the stable one when it was created). */
  previous: string;
  previousSha256: string;
  state: RolloutState;
  /** Index of the ring reached (-1 before the start). */
  ring: number;
  ringSinceMs: number;
  createdMs: number;
  /** Set when the state became halted. */
  haltedMs?: number;
  haltReason?: string;
  gates: GateResult[];
  baselineNew: Baseline;
  baselineOld: Baseline;
}

const ALLOWED: Record<RolloutAction, readonly RolloutState[]> = {
  start: ['validated'],
  advance: ['rolling', 'held'],
  hold: ['rolling'],
  pause: ['rolling', 'held'],
  resume: ['paused'],
  promote: ['rolling', 'held', 'paused'],
  complete: ['rolling', 'held'],
  halt: ['validated', 'rolling', 'held', 'paused'],
  rollback: ['halted', 'rolling', 'held', 'paused', 'complete'],
};

export function canDo(r: Rollout, action: RolloutAction): boolean {
  return ALLOWED[action].includes(r.state);
}

/** States where hosts of the reached rings run the new version. */
export function isLive(r: Rollout): boolean {
  return r.state === 'rolling' || r.state === 'held' || r.state === 'paused';
}
