/**
 * Everything the alert page shows, read through the caller's scope: the alert, what fired (per
 * rule or model, counted, with the rule's tags or the model's top features in words), the process
 * tree, the raw events of the latest detections, the history and the notes.
 */
import type { Severity } from '../detect/detection.js';
import type { AlertRecord, HistoryEntry, Note, SqliteStore, StoredDetection, TenantScope } from '../store/index.js';
import { buildTree, type ProcessTree } from './process-tree.js';

export interface EvidenceItem {
  ruleId: string;
  title: string;
  source: 'rule' | 'model';
  severity: Severity;
  count: number;
  firstMs: number;
  lastMs: number;
  maxScore: number | null;
  /** Rules: their ATT&CK and other tags. */
  tags: string[];
  /** Models: the features that weighed most, in plain words (latest detection). */
  explanations: string[];
  inheritedFrom: string | null;
  contentVersion: string;
}

export interface AlertView {
  alert: AlertRecord;
  /** The host's sensor, for the host page link (null when the sensor is gone). */
  sensorId: string | null;
  evidence: EvidenceItem[];
  tree: ProcessTree;
  /** The latest detections with their raw events, newest first. */
  detections: StoredDetection[];
  history: HistoryEntry[];
  notes: Note[];
}

/** Detections read to draw the tree and list raw events (the counts come from SQL, not from these). */
const TREE_DETECTIONS = 300;
const RAW_EVENTS = 50;

export function alertView(store: SqliteStore, scope: TenantScope, id: number): AlertView | undefined {
  const alert = store.alerts.get(scope, id);
  if (!alert) return undefined;
  const detections = store.detections.ofAlert(alert.id, TREE_DETECTIONS);
  const evidence = store.detections.ruleSummary(alert.id).map(({ latest, ...r }): EvidenceItem => ({
    ...r, title: latest.title, source: latest.source, severity: latest.severity, tags: latest.evidence.tags,
    explanations: latest.evidence.explanations ?? [], inheritedFrom: latest.evidence.inheritedFrom ?? null,
    contentVersion: latest.evidence.contentVersion,
  }));
  return {
    alert,
    sensorId: store.hosts.sensorOf(scope, alert.tenant, alert.host) ?? null,
    evidence,
    tree: buildTree(detections),
    detections: detections.slice(0, RAW_EVENTS),
    history: store.alertLog.history(alert.id),
    notes: store.alertLog.notes(alert.id),
  };
}
