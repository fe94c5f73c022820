// The ML service's public surface, for targets/ and the CLI.
export { OnnxScorer, encodeRows } from './scorer.js';
export { OnnxClassifier, META_FEATURE_NAMES, DEFAULT_BATCH_ROWS } from './onnx-model.js';
export { runTrainJob, type TrainJobOptions, type TrainJobReport } from './train-job.js';
export { runScoreJob, ACTUAL_LABEL_COLUMN, type ScoreJobOptions, type ScoreJobReport } from './score-job.js';
export { trainGbm, DEFAULT_TRAIN_PARAMS, type TrainParams, type TrainResult } from './gbm/train.js';
export { predictProbabilities, argmaxRows, type GbmModel } from './gbm/model.js';
export { exportTreeEnsemble } from './onnx/export.js';
export { evaluate, featureImportance, type Evaluation } from './metrics.js';
export { loadLabelledCsv, type Dataset } from './dataset.js';
export { ORIGINAL_PREDICTORS, PROBABILITY_COLUMNS, LABEL_COLUMN, defaultFeatureSpecs, type FeatureSpec } from './features.js';
