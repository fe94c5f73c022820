// Defaults of the Data Factory twin, in one place. The activity policy values are Azure Data Factory's;
// the compute-duration constants are the twin's own estimates (see compute-model.ts and FIDELITY.md).

/** Retries after a failed activity run (the original deployment's pipelines used retry 1). */
export const DEFAULT_RETRY = 1;
/** Wait between a failed run and its retry. ADF v2's activity policy default is 30 s. */
export const DEFAULT_RETRY_INTERVAL_MS = 30_000;
/** Slices processed at the same time (the original: 1). */
export const DEFAULT_CONCURRENCY = 1;
/** Delay after a slice's window ends before it may start (ADF v1 policy `delay`; default none). */
export const DEFAULT_START_DELAY_MS = 0;
