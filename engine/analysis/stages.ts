/**
 * The stage list: every archived batch goes through these, in this order. Declared once, built
 * from plain options, so the same list runs in the analysis thread or, when configured, on the
 * engine's main thread. Detections go to `sink` (the main thread writes them to the store).
 */
import { SignatureHitStage } from '../detect/signature-hits.js';
import type { DetectionSink } from '../detect/detection.js';
import { EnrichStage } from '../enrich/enrich.js';
import type { BatchStage } from '../pipeline/stage.js';

export interface StageOptions {
  processTableHosts: number;
  processTablePerHost: number;
}

export function buildStages(o: StageOptions, sink: DetectionSink): BatchStage[] {
  const enrich = new EnrichStage({ maxHosts: o.processTableHosts, maxPerHost: o.processTablePerHost });
  return [
    enrich,
    new SignatureHitStage(enrich.table, sink),
  ];
}
