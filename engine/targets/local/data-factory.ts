// Data Factory for the loop: the slice scheduler (ETL then scoring per slice, retry, concurrency,
// deadlines) behind the SliceRunner port, and the ETL cluster's compute-duration model behind the
// SliceDurationModel port.
import type { SliceRecord } from '../../ports/jobs.js';
import type { ProcessHost, SliceActivities, SliceDurationModel, SliceRunner, SliceWindow } from '../../ports/pipeline.js';
import {
  DataFactorySliceScheduler,
  etlComputeModel,
  etlDurationMs,
  scoringDurationMs,
  DEFAULT_SCORING_COMPUTE_MODEL,
  type DataFactorySliceRecord,
  type EtlComputeModel,
  type ScoringComputeModel,
} from '../../services/data-factory/index.js';

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
    private readonly policy: { retry: number; concurrency: number; retryIntervalMs?: number },
  ) {}

  async run(slices: readonly SliceWindow[], activities: SliceActivities, onUpdate: (record: SliceRecord & { index: number }) => void): Promise<SliceRecord[]> {
    if (slices.length === 0) return [];
    const width = slices[0].end - slices[0].start;
    const scheduler = new DataFactorySliceScheduler({
      clock: this.host.clock,
      periodStart: slices[0].start,
      periodEnd: slices[slices.length - 1].end,
      sliceWidthMs: width,
      retry: this.policy.retry,
      concurrency: this.policy.concurrency,
      ...(this.policy.retryIntervalMs !== undefined ? { retryIntervalMs: this.policy.retryIntervalMs } : {}),
      pipeline: [
        { name: 'ETL', run: (c) => activities.etl(c.slice, c.attempt) },
        { name: 'Scoring', run: (c) => activities.score(c.slice, c.attempt) },
      ],
      onChange: (r) => onUpdate({ index: r.index, start: r.start, end: r.end, state: r.state, attempts: sliceAttempts(r), finishedAt: r.finishedAt, deadlineMet: r.deadlineMet }),
    });
    const records = await scheduler.run();
    return records.map((r) => ({ start: r.start, end: r.end, state: r.state, attempts: sliceAttempts(r), finishedAt: r.finishedAt, deadlineMet: r.deadlineMet }));
  }
}

export class ClusterDurations implements SliceDurationModel {
  private readonly etl: EtlComputeModel;
  private readonly scoring: ScoringComputeModel;
  constructor(etl: Partial<EtlComputeModel>, scoringFixedSeconds?: number) {
    this.etl = etlComputeModel(etl);
    this.scoring = { ...DEFAULT_SCORING_COMPUTE_MODEL, ...(scoringFixedSeconds !== undefined ? { fixedSeconds: scoringFixedSeconds } : {}) };
  }
  etlMs(input: { profiles: number; newEvents: number; workerNodes: number }): number {
    return etlDurationMs(this.etl, { rows: input.newEvents, workerNodes: input.workerNodes });
  }
  scoreMs(input: { rows: number }): number {
    return scoringDurationMs(this.scoring, input);
  }
}
