// Reports of a run and of a matrix: one import surface for engine/cli and the Electron host.
export { writeRunReport, type RunReportFiles } from './write-run.js';
export { buildReportJson, sliceRows, REPORT_FORMAT, type ReportContext, type SliceRow } from './report-json.js';
export { writeMetricsCsv, writeEnrichedProfilesCsv } from './csv-files.js';
export { renderRunHtml, chartGrain, MAX_PROFILE_ROWS } from './run-html.js';
export { writeMatrixReport, writeMatrixCsv, renderMatrixHtml, sweptKeys, MATRIX_KPIS, type MatrixEntry, type MatrixReportOptions } from './matrix.js';
export {
  calibrationRow,
  reachedStreamBefore,
  writeCalibration,
  writeCalibrationCsv,
  renderCalibrationHtml,
  renderCalibration,
  withinTolerance,
  deviation,
  CALIBRATION_COLUMNS,
  CALIBRATION_TOLERANCE,
  type CalibrationRow,
  type MeasuredValues,
} from './calibration.js';
export { PROFILE_COLUMNS, PREDICTION_COLUMNS, enrichedColumns } from './profile-columns.js';
