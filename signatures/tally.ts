/**
 * Counts what a rule set finds in a labelled or unlabelled stream (`vigie replay --rules`): hits
 * per rule and, when events carry labels (Event.label: a technique or scenario name for attack
 * events, "" otherwise), recall over attack events and the false-positive rate over the others.
 * A stream counts as labelled once one event carries a label: "" then means benign.
 */
import type { Event } from '../common/events.js';
import type { CompiledRule } from './ir.js';
import type { Hit } from './match/index.js';

export interface RuleHits { id: string; title: string; level: string; hits: number }

export interface TallyReport {
  events: number;
  events_with_hits: number;
  hits: number;
  rules: RuleHits[];
  labelled: boolean;
  /** Present when labelled. */
  malicious_events?: number;
  benign_events?: number;
  recall?: number;
  false_positive_rate?: number;
}

export class HitTally {
  private readonly perRule: number[];
  private events = 0;
  private withHits = 0;
  private hits = 0;
  private malicious = 0;
  private maliciousHit = 0;
  private benign = 0;
  private benignHit = 0;

  constructor(private readonly rules: readonly CompiledRule[]) {
    this.perRule = rules.map(() => 0);
  }

  add(events: readonly Event[], hits: readonly Hit[]): void {
    const hitEvents = new Set<number>();
    for (const h of hits) {
      this.perRule[h.rule] = (this.perRule[h.rule] ?? 0) + 1;
      hitEvents.add(h.event);
    }
    this.hits += hits.length;
    this.events += events.length;
    this.withHits += hitEvents.size;
    events.forEach((e, i) => {
      if (e.label) {
        this.malicious++;
        if (hitEvents.has(i)) this.maliciousHit++;
      } else {
        this.benign++;
        if (hitEvents.has(i)) this.benignHit++;
      }
    });
  }

  report(): TallyReport {
    const rules = this.rules
      .map((r, i) => ({ id: r.id, title: r.title, level: r.level, hits: this.perRule[i]! }))
      .filter((r) => r.hits > 0)
      .sort((a, b) => b.hits - a.hits || a.id.localeCompare(b.id));
    const base: TallyReport = { events: this.events, events_with_hits: this.withHits, hits: this.hits, rules, labelled: this.malicious > 0 };
    if (!base.labelled) return base;
    const round = (x: number) => Math.round(x * 10_000) / 10_000;
    return {
      ...base,
      malicious_events: this.malicious,
      benign_events: this.benign,
      recall: round(this.maliciousHit / this.malicious),
      false_positive_rate: this.benign === 0 ? 0 : round(this.benignHit / this.benign),
    };
  }
}
