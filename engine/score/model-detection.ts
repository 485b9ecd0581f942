/**
 * A model's verdict on one row as a detection: what the analyst reads first (title, severity),
 * and the evidence behind it (the features that weighed most, in words; the lineage part when the
 * row was judged on where it comes from rather than on itself).
 */
import type { Event } from '../../common/events.js';
import type { ModelCard } from '../../models/model-card.js';
import type { LineagePart } from '../../models/score/lineage.js';
import type { NetworkRowContext } from '../../models/features/index.js';
import type { Detection, ProcessSummary, Severity } from '../detect/detection.js';

/** What a row is about, kept from extraction to scoring (never the whole batch). */
export interface RowTag {
  sensorId: string;
  tenant: string;
  /** The host name the sensor reports (event.host), or the sensor id when no event is known. */
  host: string;
  /** The batch the row's event came in; -1 for a network window closed by a periodic drain. */
  seq: number;
  /** The event's index in that batch; -1 when no event of the batch closed the window. */
  eventIndex: number;
  /** The process start (process rows) or the event that closed the window; undefined at -1. */
  event: Event | undefined;
  /** Network rows: the window's summary (peers, counts) for explanations. */
  network?: NetworkRowContext;
  /** Extracted while the rarity counters were still warming up: no detection is raised. */
  warmingUp?: boolean;
}

/** Combined relative score (1 = at the threshold) to severity. */
export function severityOf(relative: number): Severity {
  if (relative < 2) return 'medium';
  if (relative < 5) return 'high';
  return 'critical';
}

export interface ModelVerdict {
  tag: RowTag;
  card: ModelCard;
  /** The row's own relative score and the lineage combination. */
  own: number;
  part: LineagePart;
  decay: number;
  processKey: string;
  /** Top contributing features, in words, most important first. */
  explanations: string[];
  ancestry: ProcessSummary[];
}

const fixed = (x: number) => (Math.round(x * 100) / 100).toString();

export function modelDetection(v: ModelVerdict): Detection {
  const { tag, card, part } = v;
  const isProcess = card.kind === 'process';
  const start = tag.event?.processStart;
  const subject = isProcess ? (start?.image ?? '') : (tag.network?.image ?? '');
  const what = v.explanations[0] ?? (subject || 'unknown image');
  const inheritedFrom = part.inherited > v.own && v.decay > 0 ? inheritedText(v, start?.parentImage ?? '') : undefined;
  const timeMs = isProcess ? Number(tag.event?.timeMs ?? 0) : (tag.network?.endMs ?? Number(tag.event?.timeMs ?? 0));
  return {
    sensorId: tag.sensorId,
    tenant: tag.tenant,
    host: tag.host,
    timeMs,
    source: 'model',
    ruleId: `${card.name}@${card.version}`,
    title: `${isProcess ? 'Unusual process' : 'Unusual network activity'}: ${what}`,
    severity: severityOf(part.score),
    score: part.score,
    processKey: v.processKey,
    evidence: {
      tags: [],
      contentVersion: card.version,
      seq: tag.seq,
      eventIndex: tag.eventIndex,
      event: tag.event ? JSON.parse(JSON.stringify(tag.event)) as Record<string, unknown> : {},
      ancestry: v.ancestry,
      explanations: v.explanations,
      ...(inheritedFrom !== undefined ? { inheritedFrom } : {}),
    },
  };
}

/** lineage(parent) = inherited / decay: the score the ancestor chain carried. */
function inheritedText(v: ModelVerdict, parentImage: string): string {
  const ancestor = fixed(v.part.inherited / v.decay);
  if (v.card.kind === 'process') {
    const parent = parentImage.slice(Math.max(parentImage.lastIndexOf('\\'), parentImage.lastIndexOf('/')) + 1);
    return `descends from a process that scored ${ancestor} (1 = threshold)${parent ? `, through its parent ${parent}` : ''}; on its own it scored ${fixed(v.own)}`;
  }
  return `its process${v.tag.network?.image ? ` ${v.tag.network.image}` : ''} scored ${ancestor} (1 = threshold); the network window on its own scored ${fixed(v.own)}`;
}
