// Runs a scenario file on the local target and writes its reports: one run → report.json, metrics.csv,
// enriched_profiles.csv, report.html (and warehouse.sqlite) in the output folder; a matrix → one
// sub-folder per combination plus matrix.csv and matrix.html; runs with a `reference` row also get
// calibration.csv and calibration.html (twin vs the guide's measurements).
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { NotSupportedError, UserError } from '../core/errors.js';
import { runPipeline } from '../pipeline/run.js';
import type { EpochMs } from '../ports/clock.js';
import type { MetricSeries, RunResult } from '../ports/pipeline.js';
import { calibrationRow, writeCalibration, type CalibrationRow } from '../report/calibration.js';
import { writeMatrixReport, type MatrixEntry } from '../report/matrix.js';
import { writeRunReport, type RunReportFiles } from '../report/write-run.js';
import { loadScenarioFile, referenceForRun, type LoadedScenario, type ScenarioRun } from '../scenarios/index.js';
import type { LocalCalibration } from './local/calibration.js';
import { createLocalTarget } from './local/target.js';

export interface ProgressEvent {
  /** Combination being run (1-based) and how many there are. */
  run: number;
  runs: number;
  id: string;
  /** Scenario time now and the planned end of this run. */
  now: EpochMs;
  plannedEnd: EpochMs;
  start: EpochMs;
  /** The metric series recorded so far (a live view, not a copy: read it in the callback). */
  series: MetricSeries;
}

export interface LiveEndpoints {
  connectionString: string;
  restUrl?: string;
  hub: string;
}

export interface RunScenarioOptions {
  /** Output folder (created). */
  out: string;
  /** Paced clock: scenario seconds per real second, with the Event Hubs front doors open. */
  speed?: number;
  /** Front-door ports for paced runs (default 0: pick free ones). */
  amqpPort?: number;
  httpPort?: number;
  /** Keep the warehouse as OUT/warehouse.sqlite (default true). */
  keepWarehouse?: boolean;
  calibration?: LocalCalibration;
  onProgress?: (p: ProgressEvent) => void;
  /** Paced runs: called once the front doors are listening. */
  onLive?: (endpoints: LiveEndpoints) => void;
}

export interface RunOutcome {
  id: string;
  /** Folder of this run's report (the output folder itself for a single run). */
  folder: string;
  overrides: Record<string, unknown>;
  result: RunResult;
  files: RunReportFiles;
  /** Events that entered the hub from outside clients (paced runs), not from the generator. */
  externalEvents: number;
  /** Input rows of the ETL that were malformed and skipped. */
  skippedRows: number;
  calibration?: CalibrationRow;
}

export interface ScenarioOutcome {
  loaded: LoadedScenario;
  runs: RunOutcome[];
  matrix?: { csv: string; html: string };
  calibration?: { csv: string; html: string; rows: CalibrationRow[] };
}

/** Runs one scenario (one matrix combination) on the local target; writes its report into `folder`. */
export async function runOne(loaded: LoadedScenario, run: ScenarioRun, folder: string, options: RunScenarioOptions & { index?: number; total?: number }): Promise<RunOutcome> {
  const s = run.scenario;
  if (s.target !== 'local') throw new NotSupportedError(`target "${s.target}" (only the local target is wired so far; use target: local)`, { file: loaded.file, field: 'target' });
  const speed = options.speed ?? (s.clock.mode === 'paced' ? s.clock.speed : undefined);
  // Checked before the run: a reference row measured at another TU/SU is an error in the file.
  const ref = await referenceForRun(loaded, run);
  await mkdir(folder, { recursive: true });
  const local = await createLocalTarget(s, loaded, {
    speed,
    amqpPort: options.amqpPort,
    httpPort: options.httpPort,
    warehouseFile: options.keepWarehouse === false ? undefined : path.join(folder, 'warehouse.sqlite'),
    calibration: options.calibration,
  });
  try {
    if (local.emulator && options.onLive)
      options.onLive({ connectionString: `${local.emulator.connectionString};EntityPath=${s.eventHubs.hubName}`, restUrl: local.emulator.restBaseUrl, hub: s.eventHubs.hubName });
    const result = await runPipeline(local.scenario, local.target, {
      onProgress: options.onProgress
        ? (now, plannedEnd, series) => options.onProgress!({ run: (options.index ?? 0) + 1, runs: options.total ?? 1, id: run.id, now, plannedEnd, start: local.scenario.start, series })
        : undefined,
    });
    // A warehouse that could not be opened failed every ETL attempt: say why, not just that slices failed.
    await local.warehouse.opened;
    if (local.job.state === 'Failed') throw new UserError(`the Stream Analytics job failed: ${local.job.failure?.message ?? 'unknown error'}`, { file: loaded.file });
    // What the hub took in beyond the generator's accepted events came through the open front doors.
    const externalEvents = Math.max(0, local.namespace.metrics.IncomingMessages - local.ingress.accepted);
    const files = await writeRunReport(folder, result, {
      scenarioFile: loaded.file,
      scenarioDocument: s,
      combination: loaded.isMatrix ? { id: run.id, overrides: run.overrides } : undefined,
      ...(local.emulator ? { outsideEvents: externalEvents } : {}),
    });
    // The guide counted what reached Stream Analytics within the session's slice, so the twin does too.
    const calibration = ref ? calibrationRow(run.id, ref, result, { reachedBefore: local.scenario.start + s.durationMinutes * 60_000 }) : undefined;
    return {
      id: run.id,
      folder,
      overrides: run.overrides,
      result,
      files,
      externalEvents,
      skippedRows: local.warehouse.skips.count,
      calibration,
    };
  } finally {
    await local.close();
  }
}

/** Runs a scenario file (or an already loaded scenario): one run, or every matrix combination. */
export async function runScenario(scenario: string | LoadedScenario, options: RunScenarioOptions): Promise<ScenarioOutcome> {
  const loaded = typeof scenario === 'string' ? loadScenarioFile(scenario) : scenario;
  const out = path.resolve(options.out);
  await mkdir(out, { recursive: true });
  const runs: RunOutcome[] = [];
  for (const [index, run] of loaded.runs.entries()) {
    const folder = loaded.isMatrix ? path.join(out, run.id) : out;
    runs.push(await runOne(loaded, run, folder, { ...options, index, total: loaded.runs.length }));
  }
  const outcome: ScenarioOutcome = { loaded, runs };
  const rows = runs.flatMap((r) => (r.calibration ? [r.calibration] : []));
  if (loaded.isMatrix) {
    const entries: MatrixEntry[] = runs.map((r) => ({ id: r.id, overrides: r.overrides, folder: path.relative(out, r.folder) || '.', result: r.result }));
    const { calibration, ...matrix } = await writeMatrixReport(out, loaded.base.name, entries, { calibration: rows });
    outcome.matrix = matrix;
    if (calibration) outcome.calibration = { ...calibration, rows };
  } else if (rows.length > 0) {
    outcome.calibration = { ...(await writeCalibration(out, loaded.base.name, rows)), rows };
  }
  return outcome;
}

/** Same as runScenario; named for callers that sweep on purpose. */
export const runMatrix = runScenario;
