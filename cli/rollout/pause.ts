/** `vigie rollout pause ID [--reason TEXT]`: no further ring; the gates keep watching (a failed gate still halts). */
import { rolloutAction } from './service-command.js';

export const subcommand = rolloutAction('pause', 'pause a rollout where it is (gates keep watching; a failed gate still halts)',
  (s, id, actor, reason) => s.pause(id, actor, reason));
