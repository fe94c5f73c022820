// Data Factory for the loop: the slice scheduler (ETL then scoring per slice, retry with its interval,
// activity timeout, concurrency, deadlines) behind the SliceRunner port, and the ETL cluster's
// compute-duration model behind the SliceDurationModel port.
//
// Activity timeout, as ADF's activity policy `timeout`: a run longer than the timeout is cancelled when
// the timeout expires and fails; the retry policy then applies. The loop's activities do their work
// instantly in clock terms and then wait the modelled duration, so the timeout is decided where the
// duration is known: the duration model refuses a run that would exceed it (ActivityOverrunError, thrown
// before the activity writes anything), and the runner holds the cluster until the run's deadline and
// fails it as timed out. A retry of a timed-out activity processes the same slice's input (no less), so
// under the same model it takes at least as long: it is held to its deadline and fails the same way,
// without redoing the work.
import type { EpochMs } from '../../ports/clock.js';
import type { SliceRecord } from '../../ports/jobs.js';
import type { ProcessHost, SliceActivities, SliceDurationModel, SliceRunner, SliceWindow } from '../../ports/pipeline.js';
import {
  ActivityTimeoutError,
  DataFactorySliceScheduler,
  etlComputeModel,
  etlDurationMs,
  scoringDurationMs,
  DEFAULT_SCORING_COMPUTE_MODEL,
  type ActivityContext,
  type DataFactorySliceRecord,
  type EtlComputeModel,
  type ScoringComputeModel,
} from '../../services/data-factory/index.js';

/** The modelled duration of an activity run is longer than the activity timeout: Data Factory cancels it. */
export class ActivityOverrunError extends Error {
  constructor(
    readonly activity: string,
    readonly durationMs: number,
    readonly timeoutMs: number,
  ) {
    super(`${activity} would take ${durationMs / 1000} s, longer than the activity timeout (${timeoutMs / 1000} s)`);
    this.name = 'ActivityOverrunError';
  }
}

export interface SlicePolicy {
  retry: number;
  concurrency: number;
  /** Wait between a failed activity run and its retry (ADF default 30 s). */
  retryIntervalMs?: number;
  /** An activity run longer than this is cancelled and fails (default: no timeout). */
  activityTimeoutMs?: number;
}

/**
 * Attempts of a slice as the loop reports them: how many times its pipeline was tried (1 when every
 * activity succeeded first time, 2 after one retry). The scheduler's own count is of activity runs.
 */
function sliceAttempts(r: DataFactorySliceRecord): number {
  let n = 0;
  for (const run of r.activityRuns) n = Math.max(n, run.attempt);
  return n;
}

export class DataFactorySliceRunner implements SliceRunner {
  constructor(
    private readonly host: ProcessHost,
    private readonly policy: SlicePolicy,
  ) {}

  async run(slices: readonly SliceWindow[], activities: SliceActivities, onUpdate: (record: SliceRecord & { index: number }) => void): Promise<SliceRecord[]> {
    if (slices.length === 0) return [];
    const width = slices[0].end - slices[0].start;
    /** Activity runs (slice:activity) that timed out: their retries would too. */
    const timedOut = new Set<string>();
    const guarded = (activity: 'ETL' | 'Scoring', work: (c: ActivityContext) => Promise<void>) => (c: ActivityContext) =>
      this.runGuarded(activity, c, timedOut, work, (heldMs) => activities.cancelled?.(activity, c.slice, heldMs));
    const scheduler = new DataFactorySliceScheduler({
      clock: this.host.clock,
      periodStart: slices[0].start,
      periodEnd: slices[slices.length - 1].end,
      sliceWidthMs: width,
      retry: this.policy.retry,
      concurrency: this.policy.concurrency,
      ...(this.policy.retryIntervalMs !== undefined ? { retryIntervalMs: this.policy.retryIntervalMs } : {}),
      ...(this.policy.activityTimeoutMs !== undefined ? { activityTimeoutMs: this.policy.activityTimeoutMs } : {}),
      pipeline: [
        { name: 'ETL', run: guarded('ETL', (c) => activities.etl(c.slice, c.attempt)) },
        { name: 'Scoring', run: guarded('Scoring', (c) => activities.score(c.slice, c.attempt)) },
      ],
      onChange: (r) => onUpdate({ index: r.index, start: r.start, end: r.end, state: r.state, attempts: sliceAttempts(r), finishedAt: r.finishedAt, deadlineMet: r.deadlineMet }),
    });
    const records = await scheduler.run();
    return records.map((r) => ({ start: r.start, end: r.end, state: r.state, attempts: sliceAttempts(r), finishedAt: r.finishedAt, deadlineMet: r.deadlineMet }));
  }

  /** One activity run under the timeout: an overrun holds the cluster until the deadline, then fails. */
  private async runGuarded(
    activity: string,
    c: ActivityContext,
    timedOut: Set<string>,
    work: (c: ActivityContext) => Promise<void>,
    held: (ms: number) => void,
  ): Promise<void> {
    const key = `${c.slice.index}:${activity}`;
    if (c.deadline !== undefined && timedOut.has(key)) return this.timeOut(c.deadline, c, held);
    try {
      await work(c);
    } catch (error) {
      if (!(error instanceof ActivityOverrunError) || c.deadline === undefined) throw error;
      timedOut.add(key);
      return this.timeOut(c.deadline, c, held);
    }
  }

  /** Holds the cluster until the run's deadline (reported as held compute time), then fails the run as timed out. */
  private async timeOut(deadline: EpochMs, c: ActivityContext, held: (ms: number) => void): Promise<never> {
    const started = c.clock.now();
    await c.clock.sleepUntil(deadline);
    held(deadline - started);
    throw new ActivityTimeoutError(this.policy.activityTimeoutMs ?? deadline - started);
  }
}

export class ClusterDurations implements SliceDurationModel {
  private readonly etl: EtlComputeModel;
  private readonly scoring: ScoringComputeModel;
  constructor(
    etl: Partial<EtlComputeModel>,
    scoringFixedSeconds?: number,
    /** Activity timeout: a run modelled to last longer is refused (ActivityOverrunError). */
    private readonly activityTimeoutMs?: number,
  ) {
    this.etl = etlComputeModel(etl);
    this.scoring = { ...DEFAULT_SCORING_COMPUTE_MODEL, ...(scoringFixedSeconds !== undefined ? { fixedSeconds: scoringFixedSeconds } : {}) };
  }
  etlMs(input: { newEvents: number; workerNodes: number }): number {
    return this.within('ETL', etlDurationMs(this.etl, { rows: input.newEvents, workerNodes: input.workerNodes }));
  }
  scoreMs(input: { rows: number }): number {
    return this.within('Scoring', scoringDurationMs(this.scoring, input));
  }
  private within(activity: string, ms: number): number {
    if (this.activityTimeoutMs !== undefined && ms > this.activityTimeoutMs) throw new ActivityOverrunError(activity, ms, this.activityTimeoutMs);
    return ms;
  }
}
