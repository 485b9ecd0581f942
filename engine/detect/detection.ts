/**
 * A detection as the engine stores it: what fired (a rule or a model), where, when, how severe,
 * and its evidence. Made by the detect stages in the analysis threads, written to SQLite by the
 * engine's main thread (one writer), so it is a plain, cloneable object.
 */
export type Severity = 'informational' | 'low' | 'medium' | 'high' | 'critical';

export interface ProcessSummary {
  pid: number;
  startTimeMs: number;
  image: string;
  commandLine: string;
  user: string;
}

export interface DetectionEvidence {
  /** ATT&CK and other tags of the rule. */
  tags: string[];
  /** Signature pack version (rules) or model version. */
  contentVersion: string;
  /** The batch the event came in: the raw batch stays in the archive under (sensor, seq). */
  seq: number;
  /** The event's index in that batch; -1 for a network window no event of a batch closed (seq -1 too when a drain closed it). */
  eventIndex: number;
  /** The event that fired, as decoded (protobuf JSON form); {} when eventIndex is -1. */
  event: Record<string, unknown>;
  /** The process and its ancestors, nearest first, as far as the engine's process table knows. */
  ancestry: ProcessSummary[];
  /** Model detections: the features that weighed most, in plain words, most important first. */
  explanations?: string[];
  /** Model detections judged on their lineage: the ancestor's score that was inherited. */
  inheritedFrom?: string;
}

export interface Detection {
  sensorId: string;
  tenant: string;
  host: string;
  timeMs: number;
  source: 'rule' | 'model';
  /** Rule id, or model name@version. */
  ruleId: string;
  title: string;
  severity: Severity;
  score: number | null;
  /** pid:startTimeMs of the process the detection is about. */
  processKey: string;
  evidence: DetectionEvidence;
}

/** Where detect stages put what they find. */
export interface DetectionSink {
  add(detections: readonly Detection[]): void;
}
