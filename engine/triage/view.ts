/**
 * Everything the alert page shows, read through the caller's scope: the alert, what fired (per
 * rule or model, counted, with the rule's tags or the model's top features in words), the process
 * tree (from the alert's process context when there is an archive: contexts.ts), the raw events of
 * the latest detections, the history and the notes.
 */
import type { Severity } from '../detect/detection.js';
import type { AlertRecord, HistoryEntry, Note, SqliteStore, StoredDetection, TenantScope } from '../store/index.js';
import type { ContextInfo, ProcessContexts } from './contexts.js';
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
  /** Where the tree comes from (the archive around the alert, or its detections only) and why. */
  context: ContextInfo;
  /** The latest detections with their raw events, newest first. */
  detections: StoredDetection[];
  history: HistoryEntry[];
  notes: Note[];
}

/** Detections read to draw the tree and list raw events (the counts come from SQL, not from these). */
const TREE_DETECTIONS = 300;
const RAW_EVENTS = 50;

/** The alert page with the tree drawn from the alert's detections only (no archive read). */
export function alertView(store: SqliteStore, scope: TenantScope, id: number): AlertView | undefined {
  const r = read(store, scope, id);
  if (!r) return undefined;
  const context: ContextInfo = { source: 'detections', note: 'Drawn from the alert\'s detections only.', window: null, batches: 0, events: 0, computedMs: null, cached: false };
  return { ...r.view, tree: buildTree(r.detections), context };
}

/**
 * The alert page with the tree from the alert's process context (kept in the store, or built from
 * the archive now); `contexts` undefined: as alertView. The alert is found in the caller's scope
 * first: a context is only ever read through an alert the caller can see.
 */
export async function alertViewWithContext(store: SqliteStore, scope: TenantScope, id: number, contexts: ProcessContexts | undefined): Promise<AlertView | undefined> {
  if (!contexts) return alertView(store, scope, id);
  const r = read(store, scope, id);
  if (!r) return undefined;
  const { tree, info } = await contexts.treeOf(r.view.alert, r.detections);
  return { ...r.view, tree, context: info };
}

function read(store: SqliteStore, scope: TenantScope, id: number): { view: Omit<AlertView, 'tree' | 'context'>; detections: StoredDetection[] } | undefined {
  const alert = store.alerts.get(scope, id);
  if (!alert) return undefined;
  const detections = store.detections.ofAlert(alert.id, TREE_DETECTIONS);
  const evidence = store.detections.ruleSummary(alert.id).map(({ latest, ...r }): EvidenceItem => ({
    ...r, title: latest.title, source: latest.source, severity: latest.severity, tags: latest.evidence.tags,
    explanations: latest.evidence.explanations ?? [], inheritedFrom: latest.evidence.inheritedFrom ?? null,
    contentVersion: latest.evidence.contentVersion,
  }));
  return {
    detections,
    view: {
      alert,
      sensorId: store.hosts.sensorOf(scope, alert.tenant, alert.host) ?? null,
      evidence,
      detections: detections.slice(0, RAW_EVENTS),
      history: store.alertLog.history(alert.id),
      notes: store.alertLog.notes(alert.id),
    },
  };
}
