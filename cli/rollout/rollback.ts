/** `vigie rollout rollback ID [--reason TEXT]`: back to the previous version, even after the rollout completed. */
import { rolloutAction } from './service-command.js';

export const subcommand = rolloutAction('rollback', 'roll back a rollout, even a completed one: hosts return to the previous version, which becomes GA again',
  (s, id, actor, reason) => s.rollback(id, actor, reason));
