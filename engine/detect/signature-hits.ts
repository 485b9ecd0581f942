/**
 * The signature-hits stage: sensors match their signature pack at the edge and send the hits
 * with the batch (TelemetryBatch.hits); this stage turns each hit into a detection with its
 * evidence: the event, and the process ancestry from the enrich stage's process table (which has
 * already applied the batch, so the process that fired is in it).
 */
import { processKey, type Event, type ProcessRef } from '../../common/events.js';
import type { vigie } from '../../proto/gen/vigie.js';
import type { ProcessTable } from '../enrich/process-table.js';
import type { BatchStage, IngestedBatch } from '../pipeline/stage.js';
import type { Detection, DetectionSink, ProcessSummary, Severity } from './detection.js';

const SEVERITIES: ReadonlySet<string> = new Set(['informational', 'low', 'medium', 'high', 'critical']);

/** The process an event is about. */
function subjectOf(e: Event): ProcessRef | null | undefined {
  return e.processStart?.process ?? e.network?.process ?? e.dns?.process ?? e.processExit?.process;
}

export class SignatureHitStage implements BatchStage {
  readonly name = 'signature_hits';
  private hits = 0;
  private badHits = 0;

  constructor(private readonly table: ProcessTable, private readonly sink: DetectionSink) {}

  process(batches: readonly IngestedBatch[]): void {
    const out: Detection[] = [];
    for (const b of batches) {
      const hits = b.batch.hits;
      if (!hits || hits.length === 0) continue;
      for (const hit of hits) {
        const event = b.batch.events[hit.eventIndex ?? -1];
        if (!event || !hit.ruleId) {
          this.badHits++; // a hit that points nowhere: counted, not stored
          continue;
        }
        this.hits++;
        out.push(this.detection(b, hit, event));
      }
    }
    if (out.length > 0) this.sink.add(out);
  }

  private detection(b: IngestedBatch, hit: vigie.v1.ISignatureHit, event: Event): Detection {
    const subject = subjectOf(event);
    const key = processKey(subject);
    const ancestry: ProcessSummary[] = this.table.ancestry(b.sensorId, key).map((n) => ({
      pid: n.pid, startTimeMs: n.startTimeMs, image: n.image, commandLine: n.commandLine, user: n.user,
    }));
    const level = hit.level ?? '';
    return {
      sensorId: b.sensorId,
      tenant: b.tenant,
      host: event.host ?? '',
      timeMs: Number(event.timeMs ?? 0),
      source: 'rule',
      ruleId: hit.ruleId!,
      title: hit.title ?? hit.ruleId!,
      severity: (SEVERITIES.has(level) ? level : 'medium') as Severity,
      score: null,
      processKey: key,
      evidence: {
        tags: hit.tags ?? [],
        contentVersion: hit.packVersion ?? '',
        seq: b.seq,
        eventIndex: hit.eventIndex ?? 0,
        event: JSON.parse(JSON.stringify(event)) as Record<string, unknown>, // own fields only: what was sent
        ancestry,
      },
    };
  }

  counters(): Record<string, number> {
    return { hits: this.hits, bad_hits: this.badHits };
  }
}
