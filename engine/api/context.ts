/** What the API's routes work with: built once by the server, shared by every route. */
import type { Logger } from '../../common/log.js';
import type { AccessService } from '../access/index.js';
import type { SqliteStore } from '../store/index.js';
import type { ProcessContexts, TriageActions } from '../triage/index.js';
import type { MetricsSource } from './metrics.js';

export interface ApiContext {
  store: SqliteStore;
  access: AccessService;
  triage: TriageActions;
  /** Alert process contexts from the archive; undefined: trees from detections only. */
  contexts: ProcessContexts | undefined;
  log: Logger;
  metrics: MetricsSource | undefined;
  /** A sensor is online when its last frame is younger than this. */
  onlineWithinMs: number;
  now: () => number;
}
