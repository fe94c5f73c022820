// How long the slice activities take on the cluster, as a function of data volume and worker nodes.
//
// The ETL is a Spark job on an HDInsight cluster (DESIGN §1, §4.5). Its time follows Amdahl's law:
//
//     T_etl = fixed + serial · M + parallel · M / workers        (M = million input rows)
//
//  - fixed (default 180 s): what every run pays regardless of size — Data Factory dispatching the
//    activity, the Spark application starting on YARN (typically 30–90 s on HDInsight), the JDBC pull of
//    the Customer and Purchase tables from the warehouse ("jdbc push", guide §2), and writing the profile
//    CSV back to Blob storage.
//  - serial (default 30 s per million rows): work that stays on the driver — planning, broadcasting the
//    small reference tables, and coalescing the output into one file.
//  - parallel (default 600 node-seconds per million rows): the shuffles of the joins and the 30/10/3/60-day
//    window aggregations, split across the worker nodes.
//
// With the original load (~201k browsing rows per slice) and 4 workers this gives ≈ 216 s, comfortably
// inside a 15-minute slice, as the guide's deployment was; one worker and ten times the data (2M rows)
// gives ≈ 1,440 s and misses a 15-minute deadline, matching the guide's advice to add workers or widen
// the slice for bigger data. These constants are estimates, not measurements (the guide publishes no
// activity durations): each is a scenario override (dataFactory.etlCluster.*) and documented as such.
//
// Scoring runs Microsoft R Server on the cluster's edge node, one process per slice:
//
//     T_scoring = fixed + perMillion · M                         (M = million profiles scored)
//
//  - fixed (default 60 s): R start-up, loading RevoScaleR and the model from Blob storage.
//  - perMillion (default 100 s): rxPredict over the profiles (6,000 per slice in the original ⇒ < 1 s).

export interface EtlComputeModel {
  fixedSeconds: number;
  serialSecondsPerMillionRows: number;
  parallelSecondsPerMillionRows: number;
}

export interface ScoringComputeModel {
  fixedSeconds: number;
  secondsPerMillionRows: number;
}

export const DEFAULT_ETL_COMPUTE_MODEL: Readonly<EtlComputeModel> = Object.freeze({
  fixedSeconds: 180,
  serialSecondsPerMillionRows: 30,
  parallelSecondsPerMillionRows: 600,
});

export const DEFAULT_SCORING_COMPUTE_MODEL: Readonly<ScoringComputeModel> = Object.freeze({
  fixedSeconds: 60,
  secondsPerMillionRows: 100,
});

/** The default model with any scenario overrides applied (undefined fields keep their default). */
export function etlComputeModel(overrides: Partial<EtlComputeModel> = {}): EtlComputeModel {
  const model = { ...DEFAULT_ETL_COMPUTE_MODEL };
  for (const key of Object.keys(model) as (keyof EtlComputeModel)[]) {
    const v = overrides[key];
    if (v !== undefined) {
      if (!(v >= 0) || !Number.isFinite(v)) throw new RangeError(`ETL compute model ${key} must be a finite number ≥ 0 (got ${v})`);
      model[key] = v;
    }
  }
  return model;
}

/** Modelled ETL duration in milliseconds. */
export function etlDurationMs(model: EtlComputeModel, input: { rows: number; workerNodes: number }): number {
  if (!(input.workerNodes >= 1) || !Number.isInteger(input.workerNodes))
    throw new RangeError(`workerNodes must be an integer ≥ 1 (got ${input.workerNodes})`);
  if (!(input.rows >= 0)) throw new RangeError(`rows must be ≥ 0 (got ${input.rows})`);
  const millions = input.rows / 1e6;
  const seconds = model.fixedSeconds + model.serialSecondsPerMillionRows * millions + (model.parallelSecondsPerMillionRows * millions) / input.workerNodes;
  return Math.round(seconds * 1000);
}

/** Modelled scoring duration in milliseconds. */
export function scoringDurationMs(model: ScoringComputeModel, input: { rows: number }): number {
  if (!(input.rows >= 0)) throw new RangeError(`rows must be ≥ 0 (got ${input.rows})`);
  return Math.round((model.fixedSeconds + (model.secondsPerMillionRows * input.rows) / 1e6) * 1000);
}

/**
 * The fewest worker nodes whose modelled ETL time fits in `budgetMs` (e.g. the slice width minus the
 * scoring time), or undefined if even `maxWorkers` is not enough (the fixed and serial parts bind).
 */
export function workersNeeded(model: EtlComputeModel, rows: number, budgetMs: number, maxWorkers = 500): number | undefined {
  for (let w = 1; w <= maxWorkers; w++) if (etlDurationMs(model, { rows, workerNodes: w }) <= budgetMs) return w;
  return undefined;
}
