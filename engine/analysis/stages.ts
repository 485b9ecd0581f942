/**
 * The stage list: every archived batch goes through these, in this order. Declared once, built
 * from plain options, so the same list runs in the analysis thread or, when configured, on the
 * engine's main thread.
 */
import { EnrichStage } from '../enrich/enrich.js';
import type { BatchStage } from '../pipeline/stage.js';

export interface StageOptions {
  processTableHosts: number;
  processTablePerHost: number;
}

export function buildStages(o: StageOptions): BatchStage[] {
  return [
    new EnrichStage({ maxHosts: o.processTableHosts, maxPerHost: o.processTablePerHost }),
  ];
}
