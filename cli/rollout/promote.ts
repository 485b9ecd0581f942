/** `vigie rollout promote ID [--reason TEXT]`: ends the current ring's bake now; never past a failed gate. */
import { rolloutAction } from './service-command.js';

export const subcommand = rolloutAction('promote', 'end the current ring\'s bake now and enter the next ring (never past a failed gate)',
  (s, id, actor, reason) => s.promote(id, actor, reason));
