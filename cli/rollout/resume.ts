/** `vigie rollout resume ID [--reason TEXT]`: a paused rollout bakes and advances again. */
import { rolloutAction } from './service-command.js';

export const subcommand = rolloutAction('resume', 'resume a paused rollout',
  (s, id, actor, reason) => s.resume(id, actor, reason));
