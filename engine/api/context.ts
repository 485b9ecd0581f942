/** What the API's routes work with: built once by the server, shared by every route. */
import type { Logger } from '../../common/log.js';
import type { AccessService } from '../access/index.js';
import type { SqliteStore } from '../store/index.js';
import type { TriageActions } from '../triage/index.js';
import type { MetricsSource } from './metrics.js';

export interface ApiContext {
  store: SqliteStore;
  access: AccessService;
  triage: TriageActions;
  log: Logger;
  metrics: MetricsSource | undefined;
  /** A sensor is online when its last frame is younger than this. */
  onlineWithinMs: number;
  now: () => number;
}
