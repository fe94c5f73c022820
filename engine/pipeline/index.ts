// The pipeline run loop: one import surface for engine/targets, engine/cli and the Electron host.
export { runPipeline, sliceWindows, type RunOptions, type RunResult } from './run.js';
export { KernelProcessHost, RealTimeProcessHost } from './process-host.js';
export { toPipelineScenario, costDeployment, streamingUnitsNumber } from './from-scenario.js';
export { PricingCostEstimator } from './cost-estimator.js';
export { DatagenEventSource, DatagenGroundTruth } from './datagen-source.js';
export { SDK_DEFAULT_RETRY, NO_RETRY, maxAttempts, retryDelayMs } from './retry-policy.js';
export { METRICS, METRIC_NAMES, type MetricName } from './metric-catalog.js';
export { LogHistogram } from './log-histogram.js';
export { scoringQuality, emptyConfusion, LABEL_COUNT } from './accuracy.js';
export { ReconciliationLedger, type Reconciliation, type DropReason } from './reconciliation.js';
