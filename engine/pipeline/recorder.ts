// The metrics recorder: one place where everything the run measures is written down, at clock time.
// Per-second series (rolled up to Azure's minute grain on demand), the reconciliation ledger,
// end-to-end latency, and the slice timeline with its scoring quality.
import type { EpochMs } from '../ports/clock.js';
import type { SliceRecord } from '../ports/jobs.js';
import type { SliceSummary, StreamMetricName } from '../ports/pipeline.js';
import { scoringQuality } from './accuracy.js';
import { LatencyTracker } from './latency-tracker.js';
import type { MetricName } from './metric-catalog.js';
import { ReconciliationLedger, type DropReason } from './reconciliation.js';
import { SecondSeries } from './second-series.js';

export type { SliceSummary };

/** Stream job counters that map one-to-one onto recorder metrics. */
const STREAM_COUNTERS: readonly (StreamMetricName & MetricName)[] = [
  'InputEvents',
  'InputEventBytes',
  'OutputEvents',
  'InputDeserializationErrors',
  'LateInputEvents',
  'EarlyInputEvents',
  'OutOfOrderEvents',
  'RuntimeErrors',
];

export class MetricsRecorder {
  readonly series: SecondSeries;
  readonly ledger = new ReconciliationLedger();
  readonly latency: LatencyTracker;
  private readonly slices = new Map<number, SliceSummary>();
  private lastStream: Partial<Record<StreamMetricName, number>> = {};
  /** Running total of events the hub accepted (the stream pump's backlog is measured against it). */
  acceptedTotal = 0;
  /** Accepted ingress in Event Hubs' 64 KB billing units. */
  billableIngressUnits = 0;

  constructor(readonly origin: EpochMs, latencyRelativeAccuracy = 0.01) {
    this.series = new SecondSeries(origin);
    this.latency = new LatencyTracker(latencyRelativeAccuracy);
  }

  // ─── sender and hub ───────────────────────────────────────────────────────────
  requestAttempted(at: EpochMs, events: number, bytes: number): void {
    this.series.add('IncomingRequests', at, 1);
    this.series.add('OfferedEvents', at, events);
    this.series.add('OfferedBytes', at, bytes);
  }
  requestAccepted(at: EpochMs, events: number, bytes: number): void {
    this.series.add('SuccessfulRequests', at, 1);
    this.series.add('AcceptedEvents', at, events);
    this.series.add('AcceptedBytes', at, bytes);
    this.series.add('IncomingMessages', at, events);
    this.series.add('IncomingBytes', at, bytes);
    this.acceptedTotal += events;
  }
  requestThrottled(at: EpochMs, events: number, bytes: number): void {
    this.series.add('ThrottledRequests', at, 1);
    this.series.add('ThrottledEvents', at, events);
    this.series.add('ThrottledBytes', at, bytes);
  }
  /** A send request refused for a reason other than throttling: the client's fault (UserErrors) or the service's. */
  requestFailed(at: EpochMs, userError: boolean): void {
    this.series.add(userError ? 'UserErrors' : 'ServerErrors', at, 1);
  }
  /** Events given up for good. */
  eventsDropped(at: EpochMs, events: number, reason: DropReason): void {
    this.ledger.dropped(events, reason);
    this.series.add('DroppedEvents', at, events);
  }
  /** Events the hub accepted earlier that expired before the stream job read them. */
  eventsExpired(at: EpochMs, events: number): void {
    this.ledger.expiredAfterAcceptance(events);
    this.series.add('DroppedEvents', at, events);
  }
  eventsRead(at: EpochMs, events: number, bytes: number): void {
    this.series.add('OutgoingMessages', at, events);
    this.series.add('OutgoingBytes', at, bytes);
  }

  // ─── stream job ───────────────────────────────────────────────────────────────
  /** Records the job's counters as deltas of its running totals, and its gauges. */
  streamSample(at: EpochMs, totals: Partial<Record<StreamMetricName, number>>, gauges: { backlog: number; watermarkDelayMs: number; utilization: number }): void {
    for (const name of STREAM_COUNTERS) {
      const now = totals[name] ?? 0;
      const before = this.lastStream[name] ?? 0;
      if (now !== before) this.series.add(name, at, now - before);
    }
    this.lastStream = { ...totals };
    this.series.gauge('BackloggedInputEvents', at, gauges.backlog);
    this.series.gauge('WatermarkDelay', at, Math.max(0, gauges.watermarkDelayMs));
    this.series.gauge('ResourceUtilization', at, Math.round(Math.max(0, gauges.utilization) * 1000) / 10);
  }

  streamTotal(name: StreamMetricName): number {
    return this.lastStream[name] ?? 0;
  }

  // ─── slices ───────────────────────────────────────────────────────────────────
  slice(index: number): SliceSummary {
    let s = this.slices.get(index);
    if (!s) {
      s = { index, start: 0, end: 0, state: 'Waiting', attempts: 0, newEvents: 0, profiles: 0, etlMs: 0, scoreMs: 0, latency: null, quality: null };
      this.slices.set(index, s);
    }
    return s;
  }

  sliceUpdated(record: SliceRecord & { index: number }): void {
    Object.assign(this.slice(record.index), record);
  }

  sliceScored(index: number, at: EpochMs, profiles: number, confusion: number[][]): void {
    const s = this.slice(index);
    s.profiles = profiles;
    s.quality = scoringQuality(confusion, profiles);
    const histogram = this.latency.profilesWritten(index, at);
    s.latency = histogram.count ? histogram.snapshot() : null;
    this.series.add('ProfilesWritten', at, profiles);
  }

  sliceSummaries(): SliceSummary[] {
    return [...this.slices.values()].sort((a, b) => a.index - b.index);
  }
}
