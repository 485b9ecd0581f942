export type { Detection, DetectionEvidence, DetectionSink, ProcessSummary, Severity } from './detection.js';
export { SignatureHitStage } from './signature-hits.js';
