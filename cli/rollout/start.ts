/** `vigie rollout start ID`: a validated rollout enters ring 0. */
import { rolloutAction } from './service-command.js';

export const subcommand = rolloutAction('start', 'start a validated rollout: ring 0 gets the new version',
  (s, id, actor) => s.start(id, actor));
