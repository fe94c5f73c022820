// The pipeline run loop, written once against the ports of engine/ports/pipeline.ts:
//
//   generator sessions → senders (batch, pause, retry policy) → Event Hub (publisher)
//     → stream pump (reads the hub at the job's SU capacity) → stream job → object store
//     → per slice: ETL (profiles) then scoring → enriched profiles in the warehouse
//
// Everything runs as processes on the target's ProcessHost, so the same loop runs on the virtual
// clock (an hour in seconds, reproducible from the seed) or live on a paced/wall clock. The loop
// records everything in a MetricsRecorder and returns a RunResult for the reports.
import type { EpochMs } from '../ports/clock.js';
import type { MetricSeries, PipelineScenario, PipelineTarget, RunResult, SessionEvent, SliceWindow, UsageSummary } from '../ports/pipeline.js';
import { scoringQuality, emptyConfusion } from './accuracy.js';
import { MetricsRecorder } from './recorder.js';
import { SessionSender } from './sender.js';
import { SliceWork } from './slice-work.js';
import { StopSignal } from './stop-signal.js';
import { StreamPump } from './stream-pump.js';
import { computeKpis } from './kpis.js';

export interface RunOptions {
  /** Called now and then with the clock time and the scenario's planned end, for a progress bar. */
  /** Called once per simulated minute with the metric series recorded so far (live charts read it). */
  onProgress?: (now: EpochMs, plannedEnd: EpochMs, series: MetricSeries) => void;
  /** Relative accuracy of the latency percentiles (default 1%). */
  latencyRelativeAccuracy?: number;
}

export type { RunResult };

/** The slices of a scenario: consecutive windows from its start, enough to cover every session by default. */
export function sliceWindows(scenario: PipelineScenario): SliceWindow[] {
  const { sliceWidthMs } = scenario.dataFactory;
  if (!(sliceWidthMs > 0)) throw new RangeError(`slice width must be > 0 ms (got ${sliceWidthMs})`);
  const span = scenario.generator.sessions * scenario.generator.sessionIntervalMs;
  const count = scenario.dataFactory.slices ?? Math.max(1, Math.ceil(span / sliceWidthMs));
  return Array.from({ length: count }, (_, index) => ({
    index,
    start: scenario.start + index * sliceWidthMs,
    end: scenario.start + (index + 1) * sliceWidthMs,
  }));
}

export async function runPipeline(requested: PipelineScenario, target: PipelineTarget, options: RunOptions = {}): Promise<RunResult> {
  const { host } = target;
  const clock = host.clock;
  const startedAt = clock.now();
  // A live (paced or wall) clock keeps moving while the run is set up: a start already in the past
  // means "now", and the whole schedule (sessions, slices, hard stop) moves with it.
  const shift = Math.max(0, startedAt - requested.start);
  const scenario: PipelineScenario = shift === 0 ? requested : { ...requested, start: startedAt, endAt: requested.endAt === undefined ? undefined : requested.endAt + shift };
  const recorder = new MetricsRecorder(startedAt, options.latencyRelativeAccuracy);
  const stop = new StopSignal();
  const windows = sliceWindows(scenario);
  const plannedEnd = windows[windows.length - 1].end;
  const workerNodes = scenario.dataFactory.etlWorkerNodes ?? 1;
  const work = new SliceWork(target, recorder, workerNodes);

  // Senders: per generator session, `connections` processes sharing the session's events, each
  // session starting at its own time.
  const senders: SessionSender[] = [];
  const connections = scenario.sender.connections ?? 1;
  for (let s = 0; s < scenario.generator.sessions; s++) {
    const events = sharedLazySession(target, s);
    const startAt = scenario.start + s * scenario.generator.sessionIntervalMs;
    for (let c = 0; c < connections; c++) {
      const sender = new SessionSender({
        session: s * connections + c,
        events,
        batchSize: scenario.sender.batchSize,
        intervalMs: scenario.sender.intervalMs,
        retry: scenario.sender.retry,
        publisher: target.publisher,
        host,
        recorder,
        stop,
        seed: scenario.seed,
      });
      senders.push(sender);
      void host.spawn(`sender ${s}.${c}`, async () => {
        if (await stop.sleepUntil(clock, startAt)) await sender.run();
      });
    }
  }

  const pump = new StreamPump({ subscriber: target.subscriber, stream: target.stream, host, recorder, stop });
  void host.spawn('stream pump', () => pump.run());

  // Progress: a light process that reports once per simulated minute.
  if (options.onProgress) {
    const report = options.onProgress;
    void host.spawn('progress', async () => {
      for (let t = startedAt; ; t += 60_000) {
        if (!(await stop.sleepUntil(clock, t))) return;
        report(clock.now(), plannedEnd, recorder.series);
      }
    });
  }

  let endedAt = startedAt;
  let sliceFailure: unknown = null;
  void host.spawn('slices', async () => {
    try {
      await target.slices.run(windows, work, (record) => {
        recorder.sliceUpdated(record);
        if (record.state === 'Failed') recorder.latency.release(record.index);
      });
    } catch (error) {
      sliceFailure = error;
    } finally {
      endedAt = Math.max(clock.now(), plannedEnd);
      if (scenario.endAt !== undefined) endedAt = Math.min(endedAt, scenario.endAt);
      stop.stop();
    }
  });
  if (scenario.endAt !== undefined) {
    const endAt = scenario.endAt;
    void host.spawn('hard stop', async () => {
      if (await stop.sleepUntil(clock, endAt)) {
        endedAt = endAt;
        stop.stop();
      }
    });
  }

  await host.run();
  if (sliceFailure) throw sliceFailure;
  recorder.series.extendTo(endedAt);

  const inFlight = senders.reduce((a, s) => a + s.inFlight, 0);
  const reconciliation = recorder.ledger.close(inFlight);
  const slices = recorder.sliceSummaries();
  const profiles = [...work.latest.values()].sort((a, b) => a.customerID - b.customerID);
  const confusion = emptyConfusion();
  for (const s of slices) if (s.quality) for (let a = 0; a < 4; a++) for (let p = 0; p < 4; p++) confusion[a][p] += s.quality.confusion[a][p];
  const quality = scoringQuality(confusion, slices.reduce((a, s) => a + s.profiles, 0));
  const storedBytes = target.objectStore ? await storedSize(target) : 0;
  const usage: UsageSummary = {
    durationMs: endedAt - startedAt,
    throughputUnits: scenario.eventHubs.throughputUnits,
    streamingUnits: scenario.streamAnalytics.streamingUnits,
    ingressBillableEvents: recorder.billableIngressUnits,
    etlNodeMs: work.etlNodeMs,
    etlWorkerNodes: workerNodes,
    storedBytes,
    slices: windows.length,
  };
  const latency = {
    ...recorder.latency.overall.snapshot(),
    relativeAccuracy: recorder.latency.overall.relativeAccuracy,
    // Accepted events whose profile was never written: still in the hub, in the job, or in the store.
    notProfiled: recorder.latency.notProfiled() + pump.backlog,
  };
  const cost = target.cost ? target.cost.estimate(usage) : null;
  const kpis = computeKpis({ series: recorder.series, slices, latency, quality, reconciliation, cost, durationMs: usage.durationMs });
  return { scenario, target: target.name, startedAt, endedAt, series: recorder.series, slices, latency, quality, reconciliation, kpis, profiles, usage, cost };
}

/**
 * A session's events as one iterator several senders pull from, opened when the first sender pulls (so a
 * stress run never holds every session). A sender that stops early must not close the session for the
 * others, so the iterator has no return(). Hand-written rather than generators: a sender pulls every
 * event through it, and each generator layer costs a resumption per event.
 */
function sharedLazySession(target: PipelineTarget, index: number): Iterable<SessionEvent> {
  let source: Iterator<SessionEvent> | undefined;
  const iterator: Iterator<SessionEvent> = {
    next: () => (source ??= target.source.session(index)[Symbol.iterator]()).next(),
  };
  return { [Symbol.iterator]: () => iterator };
}

async function storedSize(target: PipelineTarget): Promise<number> {
  const { store, container } = target.objectStore!;
  const objects = await target.host.track(store.list(container));
  return objects.reduce((a, o) => a + o.size, 0);
}
