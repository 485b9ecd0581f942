/** `vigie rollout halt ID [--reason TEXT]`: stops the rollout and rolls every host that took it back. */
import { rolloutAction } from './service-command.js';

export const subcommand = rolloutAction('halt', 'halt a rollout and roll back every host that took it',
  (s, id, actor, reason) => s.halt(id, actor, reason ?? 'halted by hand'));
