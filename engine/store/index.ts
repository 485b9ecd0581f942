export { SqliteStore } from './sqlite-store.js';
export type { SensorRecord, SensorStatus } from './sqlite-store.js';
export type { DetectionQuery, StoredDetection } from './detections.js';
