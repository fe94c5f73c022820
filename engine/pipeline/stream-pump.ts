// The stream pump: once per tick (one second, the metrics resolution) it asks the stream job how much
// it can take (its SU capacity), reads that much from the hub's partitions in turn, feeds the job and
// records the job's metrics and the hub backlog. Reading through the EventSubscriber keeps the backlog
// visible to the loop, whatever implements the job.
//
// The hub is not the run's alone: in a paced run its front doors are open and outside clients (SDKs,
// k6, the load driver) publish to it too. So the pump measures the backlog against what the hub holds
// (its partitions' last sequence numbers, when the subscriber can tell), not against what the run's own
// generator got accepted, and counts the difference as events from outside clients.
//
// The job's input never "ends" while the run lasts, as in Azure: its windows close as the clock moves.
// When the run stops, the job is stopped and its open windows are written out (flush), so the Blob
// holds every event the job read — on the virtual and the paced clock alike.
import type { EpochMs } from '../ports/clock.js';
import type { EventSubscriber, ReceivedEvent } from '../ports/events.js';
import type { ProcessHost, StreamProgress, StreamStage } from '../ports/pipeline.js';
import type { MetricsRecorder } from './recorder.js';
import type { StopSignal } from './stop-signal.js';

/**
 * What a subscriber may also tell (Azure's getPartitionProperties does): the sequence number of the
 * last event enqueued in a partition (−1 when empty). With it the backlog counts events from any client.
 */
export interface PartitionEnds {
  lastEnqueuedSequenceNumber(partitionId: string): Promise<number>;
}

function hasPartitionEnds(subscriber: EventSubscriber): subscriber is EventSubscriber & PartitionEnds {
  return typeof (subscriber as Partial<PartitionEnds>).lastEnqueuedSequenceNumber === 'function';
}

export interface StreamPumpOptions {
  subscriber: EventSubscriber;
  stream: StreamStage;
  host: ProcessHost;
  recorder: MetricsRecorder;
  stop: StopSignal;
  tickMs?: number;
}

export class StreamPump {
  private readonly next = new Map<string, number>();
  /** Read from the hub but beyond this tick's byte budget: fed first next tick. */
  private carry: ReceivedEvent[] = [];
  private readCount = 0;
  private expired = 0;
  /** Events the hub has received so far, from its partitions' last sequence numbers (when known). */
  private entered: number | undefined;
  private outside = 0;
  private flushed = false;
  private readonly tickMs: number;

  constructor(private readonly options: StreamPumpOptions) {
    this.tickMs = options.tickMs ?? 1000;
  }

  /**
   * Events the hub has received: counted by the hub when the subscriber can tell, otherwise the most the
   * pump can vouch for — what the generator got accepted, or what the pump has already passed if more.
   */
  private get enteredHub(): number {
    const seen = this.readCount + this.expired;
    return Math.max(this.entered ?? this.options.recorder.acceptedTotal, seen);
  }

  /** Events in the hub the job has not consumed (including those read but not yet fed); never negative. */
  get backlog(): number {
    return this.enteredHub - this.readCount - this.expired + this.carry.length;
  }

  /** Events in the hub that the run's generator did not send (outside clients on the open front doors). */
  get outsideEvents(): number {
    return this.outside;
  }

  async run(): Promise<void> {
    const { host, stop } = this.options;
    const clock = host.clock;
    const partitions = await host.track(this.options.subscriber.partitionIds());
    for (const id of partitions) this.next.set(id, 0);
    let tick = clock.now();
    for (;;) {
      tick += this.tickMs;
      if (!(await stop.sleepUntil(clock, tick))) break;
      await this.step(partitions, clock.now());
    }
    await this.finish(partitions, clock.now());
  }

  /**
   * The run stopped: the job is stopped and writes out its open windows, so the last minute of what it
   * read reaches the Blob. Whatever it had not read stays in the hub (the backlog of the last sample).
   */
  private async finish(partitions: string[], now: EpochMs): Promise<void> {
    if (this.flushed) return;
    this.flushed = true;
    const { stream, host } = this.options;
    const progress = await host.track(stream.flush(now));
    await this.countHub(partitions, now);
    this.sample(now, progress);
  }

  /** Reads the hub's partition ends and records events that came from outside clients since the last tick. */
  private async countHub(partitions: string[], now: EpochMs): Promise<void> {
    const { subscriber, host, recorder } = this.options;
    if (hasPartitionEnds(subscriber)) {
      let entered = 0;
      for (const id of partitions) entered += (await host.track(subscriber.lastEnqueuedSequenceNumber(id))) + 1;
      this.entered = entered;
    }
    // The generator's accepted events are counted when its requests succeed; the rest of the hub's
    // intake came from outside. They are Event Hubs IncomingMessages like any other (Azure counts every
    // client), recorded at the tick that noticed them.
    const outside = Math.max(this.outside, this.enteredHub - recorder.acceptedTotal);
    if (outside > this.outside) recorder.series.add('IncomingMessages', now, outside - this.outside);
    this.outside = outside;
  }

  private sample(now: EpochMs, progress: StreamProgress): void {
    const { stream, recorder } = this.options;
    recorder.latency.outputWatermark(progress.outputWatermark);
    recorder.streamSample(now, stream.metrics(), {
      backlog: this.backlog,
      watermarkDelayMs: progress.watermarkDelayMs,
      utilization: progress.utilization,
    });
  }

  private async step(partitions: string[], now: EpochMs): Promise<void> {
    const { stream, host } = this.options;
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
      const size = bodyLength(candidates[fit]);
      if (fit > 0 && bytes + size > capacity.bytes) break;
      bytes += size;
      fit++;
    }
    const feed = fit === candidates.length ? candidates : candidates.slice(0, fit);
    this.carry = fit === candidates.length ? [] : candidates.slice(fit);
    this.recordFed(feed);
    const caughtUp = drained && this.carry.length === 0;
    const progress: StreamProgress = await host.track(stream.process(feed, now, { caughtUp }));
    await this.countHub(partitions, now);
    this.sample(now, progress);
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
        for (const e of events) bytes += bodyLength(e);
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

/** Bytes in an event's body, without encoding a body the hub holds as text. */
function bodyLength(e: ReceivedEvent): number {
  return e.bodyText !== undefined ? Buffer.byteLength(e.bodyText, 'utf8') : e.body.length;
}
