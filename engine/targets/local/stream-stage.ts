// The Stream Analytics stage: the emulator's job running the repository's customer360 query (read from
// the ARM template, as deployed) with its Blob output in the object store, fed by the pipeline's stream
// pump at the rate its streaming units allow (calibration.ts).
import type { EpochMs } from '../../ports/clock.js';
import type { ReceivedEvent } from '../../ports/events.js';
import type { StreamMetricName, StreamProgress, StreamStage } from '../../ports/pipeline.js';
import type { JobDefinition, StreamAnalyticsJob } from '../../services/stream-analytics/index.js';
import type { LocalCalibration } from './calibration.js';

/** The job's input and output names in infra-templates/asa (the query refers to them). */
export const ASA_INPUT = 'readDataFromInput';

export class AsaStreamStage implements StreamStage {
  private lastUtilization = 0;
  /** After flush the job has emitted everything; nothing lags any more. */
  private ended = false;
  private readonly eventsPerSecond: number;
  private readonly maxWaitMs: number;

  constructor(
    private readonly job: StreamAnalyticsJob,
    definition: JobDefinition,
    v1StreamingUnits: number,
    calibration: LocalCalibration,
  ) {
    this.eventsPerSecond = v1StreamingUnits * calibration.asaEventsPerSecondPerV1;
    // A Blob output holds rows up to its maximum wait before writing them: until then they are not in the store.
    let wait = 0;
    for (const o of Object.values(definition.outputs)) if (o.kind === 'blob') wait = Math.max(wait, o.maxWaitSeconds * 1000);
    this.maxWaitMs = wait;
  }

  capacity(from: EpochMs, to: EpochMs): { events: number; bytes: number } {
    const events = (this.eventsPerSecond * (to - from)) / 1000;
    // The documented ≈ 1 MB/s per V1 SU never binds before the per-event cost does for this job.
    return { events, bytes: Number.POSITIVE_INFINITY };
  }

  async process(events: readonly ReceivedEvent[], now: EpochMs, context: { caughtUp: boolean } = { caughtUp: true }): Promise<StreamProgress> {
    const job = this.job;
    for (const e of events) job.push(ASA_INPUT, { partitionId: e.partitionId, enqueuedTime: e.enqueuedTime, body: e.bodyText ?? e.body, offset: e.offset, sequenceNumber: e.sequenceNumber });
    // A job behind its backlog only knows the enqueued times it has read; once it has read everything
    // the hub holds, idle time passes for it too (idle partitions, window ends, Blob batch timeouts).
    if (context.caughtUp) job.advanceTo(now);
    else if (events.length > 0) job.advanceTo(events[events.length - 1].enqueuedTime);
    await job.drain();
    const capacity = this.capacity(now - 1000, now).events;
    this.lastUtilization = capacity > 0 ? Math.min(1, events.length / capacity) : 0;
    return this.progress(now);
  }

  async flush(now: EpochMs): Promise<StreamProgress> {
    this.job.advanceTo(now);
    this.job.end();
    await this.job.drain();
    this.ended = true;
    return { outputWatermark: now, watermarkDelayMs: 0, utilization: this.lastUtilization };
  }

  private progress(now: EpochMs): StreamProgress {
    if (this.ended) return { outputWatermark: now, watermarkDelayMs: 0, utilization: this.lastUtilization };
    // The job's event-time watermark (its arrival clock minus its own watermark delay); Azure reports the
    // delay against wall-clock time, which for the twin is the clock's now.
    const watermark = this.job.now() - this.job.metrics().WatermarkDelay * 1000;
    // Rows of windows closed by the watermark are in the store once their Blob batch is flushed
    // (at most maxWait later); a window ends on a whole minute (TumblingWindow(minute, 1)).
    const closedUpTo = Math.floor(watermark / 60_000) * 60_000 - this.maxWaitMs;
    return {
      outputWatermark: Number.isFinite(closedUpTo) ? closedUpTo : Number.NEGATIVE_INFINITY,
      watermarkDelayMs: Number.isFinite(watermark) ? Math.max(0, now - watermark) : 0,
      utilization: this.lastUtilization,
    };
  }

  metrics(): Partial<Record<StreamMetricName, number>> {
    const m = this.job.metrics();
    return {
      InputEvents: m.InputEvents,
      InputEventBytes: m.InputEventBytes,
      OutputEvents: m.OutputEvents,
      InputDeserializationErrors: m.InputDeserializationErrors,
      LateInputEvents: m.LateInputEvents,
      EarlyInputEvents: m.EarlyInputEvents,
      OutOfOrderEvents: m.OutOfOrderEvents,
      RuntimeErrors: m.RuntimeErrors,
    };
  }
}
