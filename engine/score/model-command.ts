/**
 * How the engine changes the models it scores with, one command at a time (sent to every
 * analysis thread). Models follow rollout rings like signature packs do: a canary model sits
 * beside the stable one and scores only the rows of the hosts its ring has reached; promoting
 * it makes it the stable model for everyone, dropping it sends its hosts back to the stable one.
 */
import type { ModelKind } from './model-source.js';

export type ModelCommand =
  /** Replace the stable model of a kind (the card's kind when absent). */
  | { op: 'swap'; source: string | Uint8Array; kind?: ModelKind }
  /** Load a canary model beside the stable one (replacing an earlier canary of that kind; the card's kind when absent). */
  | { op: 'canary'; source: string | Uint8Array; kind?: ModelKind }
  /** The hosts (sensor ids) whose rows the canary scores; every other host stays on the stable model. */
  | { op: 'route'; kind: ModelKind; hosts: readonly string[] }
  /** The canary becomes the stable model for every host. */
  | { op: 'promote'; kind: ModelKind }
  /** The canary goes; its hosts are scored by the stable model again. */
  | { op: 'drop'; kind: ModelKind };
