// The Data Factory twin: runs a pipeline of activities (ETL, then scoring) once per time slice, on any
// Clock — the virtual clock in simulations, the wall clock against live services.
//
// Semantics (Azure Data Factory v1 scheduling, as the original solution used it; FIDELITY.md):
//  - Slices are [start, start + width) over the active period. A slice becomes due when its window has
//    ended (plus an optional delay): only then is its input complete.
//  - A due slice waits (state Waiting) for one of `concurrency` slots, oldest slice first.
//  - It then runs its activities in order (InProgress). A failed activity run is retried up to `retry`
//    times, `retryIntervalMs` apart; a later activity runs only after the earlier one succeeded.
//  - The slice ends Ready when every activity succeeded, Failed when one ran out of retries.
//  - Deadline = due time + slice width, i.e. the slice's work must finish before the next slice is due;
//    `deadlineMet` says whether it did (a Failed slice never meets it). Missing the deadline is reported,
//    never fatal: the next slices still run.
import type { Clock, EpochMs } from '../../ports/clock.js';
import type { SliceRecord, SliceScheduler, SliceState } from '../../ports/jobs.js';
import { DEFAULT_CONCURRENCY, DEFAULT_RETRY, DEFAULT_RETRY_INTERVAL_MS, DEFAULT_START_DELAY_MS } from './defaults.js';
import { Resource } from '../../sim/resources.js';
import { sliceWindows, type SliceWindow } from './slices.js';

export interface ActivityContext {
  slice: SliceWindow;
  /** 1 for the first run, 2 for the first retry, … */
  attempt: number;
  activity: string;
  clock: Clock;
  /**
   * When this run times out (start + activityTimeoutMs), or undefined without a timeout. Activities that
   * model their duration (timedActivity) stop at it; one that returns after it is failed as timed out.
   */
  deadline?: EpochMs;
}

/**
 * One activity of the pipeline. It does its work (and, in a simulation, sleeps on the clock for its
 * modelled duration); it fails by throwing.
 */
export type Activity = (context: ActivityContext) => Promise<void>;

export interface PipelineActivity {
  name: string;
  run: Activity;
}

export interface ActivityRun {
  activity: string;
  attempt: number;
  start: EpochMs;
  end: EpochMs;
  status: 'Succeeded' | 'Failed';
  error?: string;
}

/** A slice as the Data Factory twin records it: the port's SliceRecord plus the timeline. */
export interface DataFactorySliceRecord extends SliceRecord {
  index: number;
  /** When the slice became due (window end + delay). */
  dueAt: EpochMs;
  /** dueAt + slice width. */
  deadline: EpochMs;
  /** When its first activity started (after waiting for a concurrency slot). */
  startedAt?: EpochMs;
  /** Total activity runs, retries included (`attempts` counts the same). */
  activityRuns: ActivityRun[];
  failedActivity?: string;
  error?: string;
}

export interface SliceSchedulerOptions {
  clock: Clock;
  /** Active period: slices cover [periodStart, periodEnd). */
  periodStart: EpochMs;
  periodEnd: EpochMs;
  sliceWidthMs: number;
  /** Run in this order for every slice (the original: ETL, then scoring). */
  pipeline: readonly PipelineActivity[];
  retry?: number;
  retryIntervalMs?: number;
  concurrency?: number;
  startDelayMs?: number;
  /**
   * Longest an activity run may take (ADF's activity policy `timeout`); a run that exceeds it fails with
   * "timed out" and is retried like any failure. Default: no timeout.
   */
  activityTimeoutMs?: number;
  /** Called on every state change, with a snapshot of the slice. */
  onChange?: (slice: Readonly<DataFactorySliceRecord>) => void;
}

export class DataFactorySliceScheduler implements SliceScheduler {
  private readonly records: DataFactorySliceRecord[];
  private readonly options: Required<Omit<SliceSchedulerOptions, 'onChange' | 'activityTimeoutMs'>> &
    Pick<SliceSchedulerOptions, 'onChange' | 'activityTimeoutMs'>;
  private started = false;

  constructor(options: SliceSchedulerOptions) {
    this.options = {
      retry: DEFAULT_RETRY,
      retryIntervalMs: DEFAULT_RETRY_INTERVAL_MS,
      concurrency: DEFAULT_CONCURRENCY,
      startDelayMs: DEFAULT_START_DELAY_MS,
      ...options,
    };
    const { retry, retryIntervalMs, startDelayMs, pipeline } = this.options;
    if (!Number.isInteger(retry) || retry < 0) throw new RangeError(`retry must be an integer ≥ 0 (got ${retry})`);
    if (!(retryIntervalMs >= 0)) throw new RangeError(`retryIntervalMs must be ≥ 0 (got ${retryIntervalMs})`);
    if (!(startDelayMs >= 0)) throw new RangeError(`startDelayMs must be ≥ 0 (got ${startDelayMs})`);
    if (pipeline.length === 0) throw new RangeError('the pipeline needs at least one activity');
    const timeout = this.options.activityTimeoutMs;
    if (timeout !== undefined && !(timeout > 0)) throw new RangeError(`activityTimeoutMs must be > 0 (got ${timeout})`);
    this.records = sliceWindows(options.periodStart, options.periodEnd, options.sliceWidthMs).map((w) => ({
      index: w.index,
      start: w.start,
      end: w.end,
      state: 'Waiting' as SliceState,
      attempts: 0,
      dueAt: w.end + this.options.startDelayMs,
      deadline: w.end + this.options.startDelayMs + options.sliceWidthMs,
      activityRuns: [],
    }));
  }

  /** Snapshots of every slice, in time order (the SliceScheduler port). */
  slices(): readonly DataFactorySliceRecord[] {
    return this.records.map((r) => ({ ...r, activityRuns: [...r.activityRuns] }));
  }

  /** Runs every slice of the active period to Ready or Failed; resolves with the final records. */
  async run(): Promise<readonly DataFactorySliceRecord[]> {
    if (this.started) throw new Error('DataFactorySliceScheduler.run() can be called once');
    this.started = true;
    const { clock, concurrency } = this.options;
    // Oldest slice first: a due slice queues for one of `concurrency` slots.
    const slots = new Resource(concurrency);
    const inFlight: Promise<void>[] = [];
    for (const record of this.records) {
      await clock.sleepUntil(record.dueAt);
      const release = await slots.acquire();
      inFlight.push(this.runSlice(record).finally(release));
    }
    await Promise.all(inFlight);
    return this.slices();
  }

  private changed(record: DataFactorySliceRecord): void {
    this.options.onChange?.({ ...record, activityRuns: [...record.activityRuns] });
  }

  /**
   * Runs one activity attempt. With a timeout the activity is told its deadline; one that comes back
   * after it is failed (its result discarded), as Data Factory would have cancelled it. No timer is
   * left behind, so a virtual-clock run ends when the work ends.
   */
  private async runWithTimeout(activity: PipelineActivity, context: Omit<ActivityContext, 'deadline'>): Promise<void> {
    const timeout = this.options.activityTimeoutMs;
    const deadline = timeout === undefined ? undefined : context.clock.now() + timeout;
    await activity.run({ ...context, deadline });
    if (deadline !== undefined && context.clock.now() > deadline) throw new ActivityTimeoutError(timeout as number);
  }

  private async runSlice(record: DataFactorySliceRecord): Promise<void> {
    const { clock, pipeline, retry, retryIntervalMs } = this.options;
    const window: SliceWindow = { index: record.index, start: record.start, end: record.end };
    record.state = 'InProgress';
    record.startedAt = clock.now();
    this.changed(record);
    for (const activity of pipeline) {
      let succeeded = false;
      for (let attempt = 1; attempt <= retry + 1 && !succeeded; attempt++) {
        if (attempt > 1 && retryIntervalMs > 0) await clock.sleepUntil(clock.now() + retryIntervalMs);
        const start = clock.now();
        record.attempts++;
        try {
          await this.runWithTimeout(activity, { slice: window, attempt, activity: activity.name, clock });
          record.activityRuns.push({ activity: activity.name, attempt, start, end: clock.now(), status: 'Succeeded' });
          succeeded = true;
        } catch (error) {
          const message = (error as Error)?.message ?? String(error);
          record.activityRuns.push({ activity: activity.name, attempt, start, end: clock.now(), status: 'Failed', error: message });
          record.error = message;
        }
        this.changed(record);
      }
      if (!succeeded) {
        record.state = 'Failed';
        record.failedActivity = activity.name;
        record.finishedAt = clock.now();
        record.deadlineMet = false;
        this.changed(record);
        return;
      }
    }
    record.state = 'Ready';
    record.error = undefined;
    record.finishedAt = clock.now();
    record.deadlineMet = record.finishedAt <= record.deadline;
    this.changed(record);
  }
}

/** Totals for reports: how many slices ended in each state and how many met their deadline. */
export function summarizeSlices(slices: readonly DataFactorySliceRecord[]): {
  total: number;
  ready: number;
  failed: number;
  pending: number;
  deadlinesMet: number;
  deadlinesMissed: number;
  retries: number;
} {
  const ready = slices.filter((s) => s.state === 'Ready').length;
  const failed = slices.filter((s) => s.state === 'Failed').length;
  const deadlinesMet = slices.filter((s) => s.deadlineMet === true).length;
  return {
    total: slices.length,
    ready,
    failed,
    pending: slices.length - ready - failed,
    deadlinesMet,
    deadlinesMissed: slices.filter((s) => s.deadlineMet === false).length,
    retries: slices.reduce((n, s) => n + s.activityRuns.filter((r) => r.attempt > 1).length, 0),
  };
}

/** An activity run that exceeded the activity timeout. */
export class ActivityTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`timed out after ${timeoutMs / 1000} s`);
    this.name = 'ActivityTimeoutError';
  }
}

/**
 * An activity that does `work` (instant in simulated time) and then occupies the cluster for the
 * modelled duration on the clock — how the pipeline plugs the compute-duration model into a slice.
 * If the modelled duration would pass the run's deadline, it is cut off there and fails as timed out.
 */
export function timedActivity(work: (context: ActivityContext) => Promise<{ durationMs: number }>): Activity {
  return async (context) => {
    const { clock, deadline } = context;
    const { durationMs } = await work(context);
    if (!(durationMs >= 0)) throw new RangeError(`activity ${context.activity} reported a negative duration (${durationMs} ms)`);
    const end = clock.now() + durationMs;
    if (deadline !== undefined && end > deadline) {
      const startedAt = clock.now();
      await clock.sleepUntil(deadline);
      throw new ActivityTimeoutError(deadline - startedAt);
    }
    await clock.sleepUntil(end);
  };
}
