// The engine's one import surface for electron/, the UI host and tests: load a scenario, run it (or its
// matrix) on the local target, and get the results and the report files. Everything else is internal.
export { runScenario, runMatrix, runOne } from './targets/run-scenario.js';
export type { RunScenarioOptions, ScenarioOutcome, RunOutcome, ProgressEvent, LiveEndpoints } from './targets/run-scenario.js';
export { createLocalTarget, type LocalTarget, type LocalTargetOptions } from './targets/local/target.js';
export { DEFAULT_CALIBRATION, type LocalCalibration } from './targets/local/calibration.js';
export { CALIBRATION_COLUMNS, CALIBRATION_TOLERANCE, type CalibrationRow, type MeasuredValues } from './report/calibration.js';
export { loadScenarioFile, parseScenario, ScenarioError, scenarioJsonSchema, type LoadedScenario, type Scenario, type ScenarioRun } from './scenarios/index.js';
export { runPipeline, sliceWindows } from './pipeline/run.js';
export { toPipelineScenario } from './pipeline/from-scenario.js';
export { writeRunReport } from './report/write-run.js';
export { writeMatrixReport } from './report/matrix.js';
export { UserError, NotSupportedError } from './core/errors.js';
export type { RunResult, RunKpis, Reconciliation, SliceSummary, PipelineScenario, MetricSeries } from './ports/pipeline.js';
export { createAppApi, type AppApi, type AppOptions } from './app/api.js';
