// The Data Factory twin: time slices, the ETL-then-scoring pipeline per slice, retries, concurrency,
// deadlines, and the compute-duration model of the ETL cluster.
export { DataFactorySliceScheduler, summarizeSlices, timedActivity, ActivityTimeoutError } from './slice-scheduler.js';
export type { Activity, ActivityContext, ActivityRun, DataFactorySliceRecord, PipelineActivity, SliceSchedulerOptions } from './slice-scheduler.js';
export { sliceWindows, type SliceWindow } from './slices.js';
export {
  DEFAULT_ETL_COMPUTE_MODEL,
  DEFAULT_SCORING_COMPUTE_MODEL,
  etlComputeModel,
  etlDurationMs,
  scoringDurationMs,
  workersNeeded,
  type EtlComputeModel,
  type ScoringComputeModel,
} from './compute-model.js';
export * from './defaults.js';
