/**
 * Where the engine learns which signed directive each sensor should hold. The rollout controller
 * implements it (rings, tenant controls); the engine only carries the answer to the sensor.
 */
import type { Directive } from '../../rollout/controller/directive.js';
import type { Signed } from '../../rollout/trust/index.js';

export interface DirectiveSource {
  /** The directive this sensor should hold now, or undefined (nothing to tell it). */
  directiveFor(sensorId: string, tenant: string): Signed<Directive> | undefined;
}

/** The default: the engine tells sensors nothing. */
export const NO_DIRECTIVES: DirectiveSource = { directiveFor: () => undefined };

/** One directive for every sensor (tests, a single-ring fleet). */
export function staticDirectives(d: Signed<Directive>): DirectiveSource {
  return { directiveFor: () => d };
}
