/**
 * The model card: what a model says about itself, stored in the ONNX file's metadata
 * (metadata_props key `vigie.model_card`, JSON). The engine reads it before scoring with a model:
 * a feature schema version it does not speak is refused (VIGIE_MODEL_SCHEMA).
 */

export const MODEL_CARD_KEY = 'vigie.model_card';

export interface ModelCard {
  /** 'vigie.model-card/1' */
  format: string;
  /** Human name and semver version of this model, e.g. 'vigie-default-process' / '1.0.0'. */
  name: string;
  version: string;
  /** What rows it scores: 'process' (process starts) or 'network' (per-process network windows). */
  kind: 'process' | 'network';
  /** The feature schema the model was trained on, e.g. 'vigie.features/1'. */
  featureSchemaVersion: string;
  /** Names of the input columns, in order (length = input width). */
  featureNames: string[];
  /** sha256 (hex) over the training rows, in order, as little-endian float32. */
  trainingDataDigest: string;
  /** Describes the data: files, row counts, generator seed. */
  trainingData: { sources: string[]; rows: number; seed?: number };
  /** Scores above this are anomalies (calibrated to the false-positive budget below). */
  threshold: number;
  /** The false-positive budget the threshold was calibrated to. */
  falsePositiveBudget?: { alertsPerHostPerDay: number; eventsPerHostPerDay: number };
  /** Named metrics measured at training time (e.g. roc_auc, recall_at_1pct_fpr). */
  metrics: Record<string, number>;
  /** Training hyper-parameters, seed included. */
  training: Record<string, number | string>;
  /** ISO 8601 */
  createdAt: string;
}
