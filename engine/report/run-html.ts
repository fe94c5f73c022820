// report.html for one run: KPI cards, the reconciliation, charts (throughput and throttling, backlog
// and watermark delay, latency percentiles and scoring accuracy per slice, SU utilization, cost, the
// slice timeline), the per-slice table, the cost table and the enriched profile table.
import type { MetricRow, RunResult } from '../ports/pipeline.js';
import { escapeXml, formatCompact, formatDuration, formatMoney, formatNumber, formatPercent, isoTime } from './format.js';
import { card, page, section, table } from './html-page.js';
import { enrichedCells, enrichedColumns } from './profile-columns.js';
import type { ReportContext } from './report-json.js';
import { sliceRows, type SliceRow } from './report-json.js';
import { barChart, horizontalBars, lineChart, sliceTimeline, type Marker } from './svg-charts.js';

/** At most this many profile rows are embedded in the page (the CSV always has all of them). */
export const MAX_PROFILE_ROWS = 6000;

/**
 * A chart grain (seconds) that keeps time charts at ≤ 120 points: a one-hour run gets Azure's own
 * one-minute grain, which also averages out the original sender's 5 s batch rhythm (a 30 s grain would
 * alias it into a zig-zag of 5 or 6 batches per interval).
 */
export function chartGrain(seconds: number): number {
  return [5, 10, 30, 60, 300, 900].find((g) => seconds / g <= 120) ?? 3600;
}

const minutes = (row: MetricRow, origin: number) => (row.time - origin) / 60_000;

export function renderRunHtml(result: RunResult, context: ReportContext = {}): string {
  const { kpis, reconciliation: rec, latency, scenario } = result;
  const origin = result.startedAt;
  const grain = chartGrain(result.series.seconds);
  const rows = result.series.rows(grain);
  const perSecond = (name: string) => rows.map((r) => [minutes(r, origin), r.values[name] / grain] as const);
  const gauge = (name: string, scale = 1) => rows.map((r) => [minutes(r, origin), r.values[name] / scale] as const);
  const markers: Marker[] = result.slices.map((s) => ({ x: (s.end - origin) / 60_000, label: `S${s.index}` }));
  const xLabel = `minutes since start (${grain} s intervals)`;
  const minuteFormat = (x: number) => formatCompact(x);
  const slices = sliceRows(result);
  const sliceLabels = slices.map((s) => `S${s.index}`);

  const cards = [
    card('events sent', formatNumber(kpis.eventsSent)),
    card('accepted by Event Hubs', `${formatNumber(kpis.eventsAccepted)} (${formatPercent(kpis.acceptedShare)})`, kpis.acceptedShare < 0.999 ? 'bad' : 'good'),
    card('reached Stream Analytics', formatNumber(kpis.eventsReachedStream)),
    card('throughput mean / peak (events/s)', `${formatNumber(kpis.meanAcceptedPerSecond)} / ${formatNumber(kpis.peakAcceptedPerSecond)}`),
    card('throttled requests', formatPercent(kpis.throttledRequestShare), kpis.throttledRequestShare > 0 ? 'bad' : 'good'),
    card('peak backlog (events)', formatNumber(kpis.peakBacklog)),
    card('peak watermark delay', formatDuration(kpis.peakWatermarkDelayMs)),
    card('latency p50 / p95 / p99', `${formatDuration(kpis.latencyP50Ms)} / ${formatDuration(kpis.latencyP95Ms)} / ${formatDuration(kpis.latencyP99Ms)}`),
    card('slices meeting deadline', `${kpis.slicesDeadlineMet} / ${kpis.slices}`, kpis.slicesDeadlineMet < kpis.slices ? 'bad' : 'good'),
    card('accuracy / macro-F1', `${formatPercent(kpis.accuracy)} / ${formatNumber(kpis.macroF1, 3)}`),
    card('cost per hour', formatMoney(kpis.costPerHour, result.cost?.currency)),
    card('unaccounted events', formatNumber(rec.unaccounted), rec.unaccounted !== 0 ? 'bad' : 'good'),
  ];

  const reconciliationRows: [string, number, string][] = [
    ['sent', rec.sent, 'events the generator handed to the sender'],
    ['accepted', rec.accepted, 'stored by Event Hubs'],
    ['throttled', rec.throttled, 'refused with ServerBusy and not retried (retry policy none)'],
    ...Object.entries(rec.droppedByReason).map(([reason, n]) => [`dropped: ${reason}`, n ?? 0, 'given up for good'] as [string, number, string]),
    ['in flight', rec.inFlight, 'still held by a sender when the run ended'],
    ['unaccounted', rec.unaccounted, 'sent − accepted − throttled − dropped − in flight (must be 0)'],
  ];
  // Outside clients (a paced run's open front doors) are on their own line: the hub and the job count
  // their events, the generator's reconciliation does not.
  if (context.outsideEvents !== undefined)
    reconciliationRows.push(['from outside clients', context.outsideEvents, 'accepted by Event Hubs from other clients during the run; read by the job like the generator\'s, not part of the lines above']);
  const reconciliationTable = table(reconciliationRows, [
    { title: 'outcome', cell: (r) => r[0], left: true },
    { title: 'events', cell: (r) => formatNumber(r[1]) },
    { title: 'share of sent', cell: (r) => (r[0] === 'from outside clients' ? '' : formatPercent(rec.sent ? r[1] / rec.sent : NaN)) },
    { title: 'meaning', cell: (r) => r[2], left: true },
  ], { rowClass: (r) => (r[0] === 'unaccounted' && r[1] !== 0 ? 'bad' : '') });

  const wideChart = lineChart({
      title: 'Throughput and throttling (events/s)',
      width: 1150,
      height: 300,
      xLabel,
      xFormat: minuteFormat,
      yLabel: 'events/s',
      markers,
      series: [
        { name: 'offered (incl. retries)', points: perSecond('OfferedEvents'), color: '#9ca3af' },
        { name: 'accepted by Event Hubs', points: perSecond('AcceptedEvents'), color: '#2563eb' },
        { name: 'throttled', points: perSecond('ThrottledEvents'), color: '#dc2626' },
        { name: 'read by Stream Analytics', points: perSecond('InputEvents'), color: '#16a34a', dashed: true },
      ],
    });
  const charts = [
    lineChart({ title: 'Stream Analytics backlog (events)', xLabel, xFormat: minuteFormat, yLabel: 'events', markers, series: [{ name: 'BackloggedInputEvents (max)', points: gauge('BackloggedInputEvents'), color: '#ea580c' }] }),
    lineChart({ title: 'Watermark delay (s)', xLabel, xFormat: minuteFormat, yLabel: 'seconds', markers, series: [{ name: 'WatermarkDelay (max)', points: gauge('WatermarkDelay', 1000), color: '#9333ea' }] }),
    barChart({
      title: 'End-to-end latency per slice (min): enqueued → profile written',
      categories: sliceLabels,
      yLabel: 'minutes',
      yFormat: (v) => formatCompact(v),
      series: [
        { name: 'p50', values: slices.map((s) => (s.latencyP50Ms === null ? null : s.latencyP50Ms / 60_000)) },
        { name: 'p95', values: slices.map((s) => (s.latencyP95Ms === null ? null : s.latencyP95Ms / 60_000)) },
        { name: 'p99', values: slices.map((s) => (s.latencyP99Ms === null ? null : s.latencyP99Ms / 60_000)) },
      ],
    }),
    barChart({
      title: 'Scoring quality per slice (vs ground truth)',
      categories: sliceLabels,
      yMax: 1,
      yFormat: (v) => `${Math.round(v * 100)}%`,
      series: [
        { name: 'accuracy', values: slices.map((s) => s.accuracy), color: '#2563eb' },
        { name: 'macro-F1', values: slices.map((s) => s.macroF1), color: '#16a34a' },
      ],
    }),
    lineChart({ title: 'Stream Analytics SU utilization (%)', xLabel, xFormat: minuteFormat, yLabel: '%', markers, series: [{ name: 'ResourceUtilization (max)', points: gauge('ResourceUtilization'), color: '#0891b2' }] }),
    horizontalBars({
      title: result.cost ? `Cost of the run by item (${result.cost.currency}, total ${formatMoney(result.cost.total, result.cost.currency)})` : 'Cost (no cost model configured)',
      items: (result.cost?.lines ?? []).map((l) => ({ label: l.item, value: l.cost })),
      format: (v) => formatMoney(v, result.cost?.currency),
    }),
  ];
  const timeline = sliceTimeline({
    title: 'Slice timeline: data window, ETL + scoring run, deadline',
    origin,
    rows: result.slices.map((s) => ({
      label: `slice ${s.index}`,
      window: [s.start, s.end],
      run: s.finishedAt !== undefined ? [s.end, s.finishedAt] : undefined,
      deadline: s.end + (s.end - s.start),
      state: s.state,
      deadlineMet: s.deadlineMet,
    })),
  });

  const sliceTable = table<SliceRow>(slices, [
    { title: 'slice', cell: (s) => s.index },
    { title: 'window start', cell: (s) => s.start, left: true },
    { title: 'window end', cell: (s) => s.end, left: true },
    { title: 'state', cell: (s) => s.state, left: true },
    { title: 'attempts', cell: (s) => s.attempts },
    { title: 'finished', cell: (s) => s.finishedAt ?? '–', left: true },
    { title: 'deadline met', cell: (s) => (s.deadlineMet === null ? '–' : s.deadlineMet ? 'yes' : 'NO') },
    { title: 'new events', cell: (s) => formatNumber(s.newEvents) },
    { title: 'profiles', cell: (s) => formatNumber(s.profiles) },
    { title: 'ETL', cell: (s) => formatDuration(s.etlSeconds * 1000) },
    { title: 'scoring', cell: (s) => formatDuration(s.scoreSeconds * 1000) },
    { title: 'latency p50', cell: (s) => formatDuration(s.latencyP50Ms) },
    { title: 'p95', cell: (s) => formatDuration(s.latencyP95Ms) },
    { title: 'p99', cell: (s) => formatDuration(s.latencyP99Ms) },
    { title: 'accuracy', cell: (s) => formatPercent(s.accuracy) },
    { title: 'macro-F1', cell: (s) => formatNumber(s.macroF1, 3) },
    { title: 'cost', cell: (s) => formatMoney(s.cost, result.cost?.currency) },
  ], { rowClass: (s) => (s.state === 'Failed' || s.deadlineMet === false ? 'bad' : '') });

  const costTable = result.cost
    ? table(result.cost.lines, [
        { title: 'item', cell: (l) => l.item, left: true },
        { title: 'quantity', cell: (l) => formatNumber(l.quantity, 4) },
        { title: 'unit', cell: (l) => l.unit, left: true },
        { title: 'unit price', cell: (l) => formatMoney(l.unitPrice, result.cost!.currency) },
        { title: 'cost', cell: (l) => formatMoney(l.cost, result.cost!.currency) },
      ]) +
      `<p class="note">Total ${formatMoney(result.cost.total, result.cost.currency)} · ${formatMoney(result.cost.perHour, result.cost.currency)} per hour · ${formatMoney(result.cost.perSlice, result.cost.currency)} per slice${result.cost.source ? ` · prices: ${escapeXml(result.cost.source)}` : ''}</p>`
    : '<p class="note">No cost model was configured for this run.</p>';

  const { features, header } = enrichedColumns(result.profiles);
  const shown = result.profiles.slice(0, MAX_PROFILE_ROWS);
  const profileTable =
    `<p class="note">${formatNumber(result.profiles.length)} enriched profiles${result.profiles.length > shown.length ? `; the first ${formatNumber(shown.length)} are shown` : ''} (all of them are in enriched_profiles.csv).</p>` +
    table(shown.map((p) => enrichedCells(p, features)), header.map((h, i) => ({ title: h, cell: (r: (string | number)[]) => r[i], left: h === 'Gender' || h === 'Income' })), { scroll: true });

  const latencyNote = `<p class="note">Latency is measured from an event's enqueue in Event Hubs to the moment its customer's enriched profile was written, over ${formatNumber(latency.count)} events (percentiles within ±${formatPercent(latency.relativeAccuracy, 0)}); ${formatNumber(latency.notProfiled)} accepted events had not reached a profile when the run ended.</p>`;

  const subtitle = `${context.scenarioFile ?? scenario.name} · target ${result.target} · ${isoTime(result.startedAt)} → ${isoTime(result.endedAt)} (${formatDuration(result.endedAt - result.startedAt)} of clock time) · seed ${scenario.seed} · ${scenario.eventHubs.throughputUnits} TU · ${scenario.streamAnalytics.streamingUnits} SU · batches of ${formatNumber(scenario.sender.batchSize)} every ${formatDuration(scenario.sender.intervalMs)} · retry ${scenario.sender.retry.kind}`;
  return page(`Customer 360 twin — ${scenario.name}`, subtitle, [
    section('Key numbers', `<div class="cards">${cards.join('')}</div>`),
    section('Reconciliation', reconciliationTable),
    section('Charts', `<div class="grid"><div class="chart wide">${wideChart}</div>${charts.map((c) => `<div class="chart">${c}</div>`).join('')}</div><div class="chart" style="margin-top:12px">${timeline}</div>${latencyNote}`),
    section('Slices', `<div class="hscroll">${sliceTable}</div>`),
    section('Cost', costTable),
    section('Scenario', `<details><summary>scenario as run</summary><pre>${escapeXml(JSON.stringify(context.scenarioDocument ?? scenario, null, 2))}</pre></details>`),
    section('Enriched customer profiles', profileTable),
  ]);
}
