// The handful of numbers a capacity planner reads first, derived from what the recorder measured.
import type { CostBreakdown, RunKpis } from '../ports/pipeline.js';
import type { ScoringQuality } from './accuracy.js';
import type { HistogramSnapshot } from './log-histogram.js';
import type { Reconciliation } from './reconciliation.js';
import type { SliceSummary } from './recorder.js';
import type { SecondSeries } from './second-series.js';

export type { RunKpis };

export function computeKpis(input: {
  series: SecondSeries;
  slices: readonly SliceSummary[];
  latency: HistogramSnapshot;
  quality: ScoringQuality;
  reconciliation: Reconciliation;
  cost: CostBreakdown | null;
  durationMs: number;
}): RunKpis {
  const { series, slices, latency, quality, reconciliation: r, cost } = input;
  const rows = series.rows(1);
  let first = -1;
  let last = -1;
  rows.forEach((row, i) => {
    if (first < 0 && row.values.IncomingRequests > 0) first = i;
    if (row.values.AcceptedEvents > 0) last = i;
  });
  const activeSeconds = first >= 0 && last >= first ? last - first + 1 : 0;
  const requests = series.total('IncomingRequests');
  return {
    eventsSent: r.sent,
    eventsAccepted: r.accepted,
    acceptedShare: r.sent ? r.accepted / r.sent : NaN,
    eventsReachedStream: series.total('InputEvents'),
    peakAcceptedPerSecond: series.peak('AcceptedEvents'),
    meanAcceptedPerSecond: activeSeconds ? series.total('AcceptedEvents') / activeSeconds : 0,
    throttledRequestShare: requests ? series.total('ThrottledRequests') / requests : 0,
    peakBacklog: series.peak('BackloggedInputEvents'),
    peakWatermarkDelayMs: series.peak('WatermarkDelay'),
    peakUtilizationPercent: series.peak('ResourceUtilization'),
    latencyP50Ms: latency.p50,
    latencyP95Ms: latency.p95,
    latencyP99Ms: latency.p99,
    slices: slices.length,
    slicesDeadlineMet: slices.filter((s) => s.deadlineMet === true).length,
    slicesFailed: slices.filter((s) => s.state === 'Failed').length,
    accuracy: quality.accuracy,
    macroF1: quality.macroF1,
    costTotal: cost ? cost.total : null,
    costPerHour: cost ? cost.perHour : null,
  };
}
