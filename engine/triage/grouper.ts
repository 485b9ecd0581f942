/**
 * The engine's detection sink with triage: every detection is stored; one covered by an active
 * exception is marked suppressed and raises nothing; the others are grouped into alerts
 * (grouping.ts). One transaction per call: a batch of detections and the alerts they touch are
 * written together or not at all. Runs on the engine's main thread, the store's one writer.
 */
import type { Detection, Severity } from '../detect/detection.js';
import { SEVERITY_RANK, type AlertRecord, type SqliteStore } from '../store/index.js';
import { attackOf } from './attack.js';
import { ExceptionMatcher, subjectOf } from './exception-match.js';
import { chooseAlert, treeKeyOf } from './grouping.js';

export interface GrouperOptions {
  /** Detections of a host's tree this close in time to an alert's span join it. */
  windowMs: number;
  /** Distinct rule ids kept on an alert (the count goes on; the list is for display and search). */
  maxRules?: number;
}

export interface IngestOutcome {
  stored: number;
  suppressed: number;
  alertsCreated: number;
  alertsGrown: number;
}

const MAX_SEARCH = 2000;

export class AlertGrouper {
  private matcher = new ExceptionMatcher([]);
  private matcherVersion = '';
  readonly counters = { detections: 0, suppressed: 0, alerts_created: 0, alerts_grown: 0 };

  constructor(private readonly store: SqliteStore, private readonly o: GrouperOptions) {}

  ingest(detections: readonly Detection[], nowMs = Date.now()): IngestOutcome {
    const out: IngestOutcome = { stored: 0, suppressed: 0, alertsCreated: 0, alertsGrown: 0 };
    if (detections.length === 0) return out;
    this.refreshExceptions(nowMs);
    this.store.transaction(() => {
      const hits = new Map<number, { n: number; lastMs: number }>();
      for (const d of detections) {
        const exception = this.matcher.size > 0 ? this.matcher.match(d, nowMs) : undefined;
        if (exception) {
          this.store.detections.insertLinked(d, nowMs, { alertId: null, suppressedBy: exception.id });
          const h = hits.get(exception.id) ?? { n: 0, lastMs: 0 };
          hits.set(exception.id, { n: h.n + 1, lastMs: Math.max(h.lastMs, d.timeMs) });
          out.suppressed++;
        } else {
          const created = this.group(d, nowMs);
          if (created) out.alertsCreated++;
          else out.alertsGrown++;
        }
        out.stored++;
      }
      for (const [id, h] of hits) this.store.exceptions.hit(id, h.n, h.lastMs);
    });
    this.counters.detections += out.stored;
    this.counters.suppressed += out.suppressed;
    this.counters.alerts_created += out.alertsCreated;
    this.counters.alerts_grown += out.alertsGrown;
    return out;
  }

  /** Stores the detection in its alert; true when it opened a new one. */
  private group(d: Detection, nowMs: number): boolean {
    const treeKey = treeKeyOf(d);
    const candidates = this.store.alerts.openNear(d.tenant, d.host, d.timeMs - this.o.windowMs, d.timeMs + this.o.windowMs);
    const joinId = chooseAlert(candidates, treeKey, d.ruleId);
    const attack = attackOf(d);
    const words = searchWords(d, attack.technique, attack.tactic);
    if (joinId === undefined) {
      const id = this.store.alerts.create({
        tenant: d.tenant, host: d.host, sensorId: d.sensorId, treeKey, firstMs: d.timeMs, lastMs: d.timeMs, title: d.title,
        severity: d.severity, tactic: attack.tactic, technique: attack.technique, source: d.source, rules: [d.ruleId], detections: 1,
        maxScore: d.score, createdMs: nowMs, search: `${d.tenant} ${d.host} ${words}`.slice(0, MAX_SEARCH),
      });
      this.store.detections.insertLinked(d, nowMs, { alertId: id, suppressedBy: null });
      this.store.alertLog.record(id, nowMs, 'engine', 'created', { detection: d.ruleId, treeKey });
      return true;
    }
    const a = candidates.find((c) => c.id === joinId)!;
    const more = rank(d.severity) > rank(a.severity);
    const rules = a.rules.includes(d.ruleId) || a.rules.length >= (this.o.maxRules ?? 50) ? a.rules : [...a.rules, d.ruleId];
    this.store.alerts.grow(a.id, {
      firstMs: Math.min(a.firstMs, d.timeMs), lastMs: Math.max(a.lastMs, d.timeMs),
      title: more ? d.title : a.title, severity: more ? d.severity : a.severity,
      tactic: more ? attack.tactic : a.tactic, technique: more ? attack.technique : a.technique,
      source: a.source === d.source ? a.source : 'mixed', rules, detections: a.detections + 1,
      maxScore: d.score === null ? a.maxScore : Math.max(a.maxScore ?? d.score, d.score),
      search: mergeSearch(a, words),
    });
    this.store.detections.insertLinked(d, nowMs, { alertId: a.id, suppressedBy: null });
    return false;
  }

  private refreshExceptions(nowMs: number): void {
    const version = this.store.exceptions.version();
    if (version === this.matcherVersion) return;
    this.matcher = new ExceptionMatcher(this.store.exceptions.active(nowMs));
    this.matcherVersion = version;
  }
}

const rank = (s: Severity): number => SEVERITY_RANK[s] ?? 2;

function searchWords(d: Detection, technique: string, tactic: string): string {
  const s = subjectOf(d);
  const image = s.image.slice(Math.max(s.image.lastIndexOf('\\'), s.image.lastIndexOf('/')) + 1);
  return `${d.title} ${d.ruleId} ${image} ${technique} ${tactic}`.toLowerCase();
}

function mergeSearch(a: AlertRecord & { search: string }, words: string): string {
  if (a.search.length >= MAX_SEARCH) return a.search;
  const missing = words.split(' ').filter((w) => w && !a.search.includes(w));
  return missing.length ? `${a.search} ${missing.join(' ')}`.slice(0, MAX_SEARCH) : a.search;
}
