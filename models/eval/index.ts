export {
  averagePrecision, confusionAtThreshold, DEFAULT_FPR_TARGETS, evaluateScores, metricsRecord, precisionAtThreshold, recallAtFpr, rocAuc,
  type Confusion, type MetricsReport, type OperatingPoint, type Scores,
} from './metrics.js';
export {
  assignGroupFolds, crossValidate,
  type CrossValidationOptions, type CrossValidationReport, type FitAndScore, type Fold, type FoldResult,
} from './cross-validation.js';
