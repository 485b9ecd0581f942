/** Command name -> module. Modules load lazily so `vigie enroll` does not load the engine. */
import type { Command } from './command.js';

export const COMMANDS: Record<string, () => Promise<{ command: Command }>> = {
  start: () => import('./commands/start.js'),
  engine: () => import('./commands/engine.js'),
  sensor: () => import('./commands/sensor.js'),
  simulate: () => import('./commands/simulate.js'),
  replay: () => import('./commands/replay.js'),
  enroll: () => import('./commands/enroll.js'),
  sensors: () => import('./commands/sensors.js'),
  archive: () => import('./commands/archive.js'),
  config: () => import('./commands/config.js'),
  rules: () => import('./commands/rules.js'),
  detections: () => import('./commands/detections.js'),
  alerts: () => import('./commands/alerts.js'),
  tenants: () => import('./commands/tenants.js'),
  users: () => import('./commands/users.js'),
  tokens: () => import('./commands/tokens.js'),
  model: () => import('./commands/model.js'),
  rollout: () => import('./commands/rollout.js'),
  controller: () => import('./commands/controller.js'),
};
