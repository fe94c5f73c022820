// The stream pump: once per tick (one second, the metrics resolution) it asks the stream job how much
// it can take (its SU capacity), reads that much from the hub's partitions in turn, feeds the job and
// records the job's metrics and the hub backlog. Reading through the EventSubscriber keeps the backlog
// visible to the loop, whatever implements the job.
import type { EpochMs } from '../ports/clock.js';
import type { EventSubscriber, ReceivedEvent } from '../ports/events.js';
import type { ProcessHost, StreamProgress, StreamStage } from '../ports/pipeline.js';
import type { MetricsRecorder } from './recorder.js';
import type { StopSignal } from './stop-signal.js';

export interface StreamPumpOptions {
  subscriber: EventSubscriber;
  stream: StreamStage;
  host: ProcessHost;
  recorder: MetricsRecorder;
  stop: StopSignal;
  /** True once every sender has finished: the pump may then flush the job when the backlog is empty. */
  sendersDone: () => boolean;
  tickMs?: number;
}

export class StreamPump {
  private readonly next = new Map<string, number>();
  /** Read from the hub but beyond this tick's byte budget: fed first next tick. */
  private carry: ReceivedEvent[] = [];
  private readCount = 0;
  private expired = 0;
  private flushed = false;
  private readonly tickMs: number;

  constructor(private readonly options: StreamPumpOptions) {
    this.tickMs = options.tickMs ?? 1000;
  }

  /** Events in the hub the job has not consumed (including those read but not yet fed). */
  get backlog(): number {
    return this.options.recorder.acceptedTotal - this.readCount - this.expired + this.carry.length;
  }

  async run(): Promise<void> {
    const { host, stop } = this.options;
    const clock = host.clock;
    const partitions = await host.track(this.options.subscriber.partitionIds());
    for (const id of partitions) this.next.set(id, 0);
    let tick = clock.now();
    for (;;) {
      tick += this.tickMs;
      if (!(await stop.sleepUntil(clock, tick))) return;
      await this.step(partitions, clock.now());
    }
  }

  private async step(partitions: string[], now: EpochMs): Promise<void> {
    const { stream, host, recorder } = this.options;
    const capacity = stream.capacity(now - this.tickMs, now);
    const room = Math.max(0, Math.floor(capacity.events) - this.carry.length);
    const read = room > 0 ? await this.readUpTo(partitions, room, now) : [];
    // Caught up = the partitions ran dry before the job's capacity did (read from the hub itself, not
    // inferred from counters, so a publisher that misreports cannot stall the job).
    const drained = room > 0 && read.length < room;
    const candidates = this.carry.length ? [...this.carry, ...read] : read;
    // Feed within the byte budget; what does not fit waits in the carry (still backlog).
    let bytes = 0;
    let fit = 0;
    while (fit < candidates.length && fit < capacity.events) {
      const size = candidates[fit].body.length;
      if (fit > 0 && bytes + size > capacity.bytes) break;
      bytes += size;
      fit++;
    }
    const feed = fit === candidates.length ? candidates : candidates.slice(0, fit);
    this.carry = fit === candidates.length ? [] : candidates.slice(fit);
    this.recordFed(feed);
    const caughtUp = drained && this.carry.length === 0;
    let progress: StreamProgress = await host.track(stream.process(feed, now, { caughtUp }));
    if (!this.flushed && this.options.sendersDone() && caughtUp) {
      progress = await host.track(stream.flush(now));
      this.flushed = true;
    }
    recorder.latency.outputWatermark(progress.outputWatermark);
    recorder.streamSample(now, stream.metrics(), {
      backlog: this.backlog,
      watermarkDelayMs: progress.watermarkDelayMs,
      utilization: progress.utilization,
    });
  }

  /** Reads up to `max` events, sharing the room between partitions, detecting events lost to retention. */
  private async readUpTo(partitions: string[], max: number, now: EpochMs): Promise<ReceivedEvent[]> {
    const { subscriber, host, recorder } = this.options;
    const out: ReceivedEvent[] = [];
    let open = [...partitions];
    while (out.length < max && open.length > 0) {
      const share = Math.max(1, Math.floor((max - out.length) / open.length));
      const stillOpen: string[] = [];
      for (const id of open) {
        const want = Math.min(share, max - out.length);
        if (want <= 0) break;
        const expected = this.next.get(id)!;
        const events = await host.track(subscriber.read(id, { kind: 'sequence', sequenceNumber: expected, inclusive: true }, want));
        if (events.length === 0) continue;
        // A gap in sequence numbers means the hub's retention removed events before we read them.
        const gap = events[0].sequenceNumber - expected;
        if (gap > 0) {
          this.expired += gap;
          recorder.eventsExpired(now, gap);
        }
        let bytes = 0;
        for (const e of events) bytes += e.body.length;
        recorder.eventsRead(now, events.length, bytes);
        this.readCount += events.length;
        this.next.set(id, events[events.length - 1].sequenceNumber + 1);
        for (const e of events) out.push(e);
        if (events.length === want) stillOpen.push(id);
      }
      open = stillOpen;
    }
    return out;
  }

  private recordFed(events: readonly ReceivedEvent[]): void {
    const latency = this.options.recorder.latency;
    let i = 0;
    while (i < events.length) {
      const t = events[i].enqueuedTime;
      let j = i + 1;
      while (j < events.length && events[j].enqueuedTime === t) j++;
      latency.fedToStream(t, j - i);
      i = j;
    }
  }
}
