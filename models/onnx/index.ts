export { exportAutoencoder } from './export.js';
export { checkExportable } from './check-export.js';
export { loadModel } from './load.js';
export type { LoadedModel, LoadOptions, ModelScores } from './load.js';
export { inspectModel } from './inspect.js';
export type { InspectedModel } from './inspect.js';
export { checkModelCard } from './card-check.js';
export {
  BATCH_DIM, CONTRIBUTIONS_NAME, INPUT_NAME, IR_VERSION, OPSET_VERSION, PRODUCER_NAME, SCORE_NAME,
} from './contract.js';
