// The matrix report: a sweep writes one sub-folder per combination (each a full run report) plus
// matrix.csv (one row per combination: its overrides and KPIs) and matrix.html — TU × SU heatmaps of
// throughput, latency and cost when the sweep crosses those two keys, and line charts against the
// swept value for one-dimensional sweeps (batch size, slice width, …).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunKpis, RunResult } from '../ports/pipeline.js';
import { CsvWriter } from '../io/csv-file.js';
import { escapeXml, formatCompact, formatDuration, formatMoney, formatNumber, formatPercent } from './format.js';
import { page, section, table } from './html-page.js';
import { barChart, heatmap, lineChart } from './svg-charts.js';
import { renderCalibration, writeCalibration, type CalibrationRow } from './calibration.js';

export interface MatrixEntry {
  /** The combination's id (also its sub-folder name). */
  id: string;
  /** Dotted scenario key → value for this combination. */
  overrides: Record<string, unknown>;
  /** Sub-folder holding this combination's run report, relative to the matrix folder. */
  folder: string;
  result: RunResult;
}

const lastSegment = (key: string) => key.split('.').pop() ?? key;

/** KPI columns of matrix.csv, in order. */
export const MATRIX_KPIS: readonly (keyof RunKpis)[] = [
  'eventsSent',
  'eventsAccepted',
  'acceptedShare',
  'eventsReachedStream',
  'meanAcceptedPerSecond',
  'peakAcceptedPerSecond',
  'throttledRequestShare',
  'peakBacklog',
  'peakWatermarkDelayMs',
  'peakUtilizationPercent',
  'latencyP50Ms',
  'latencyP95Ms',
  'latencyP99Ms',
  'slices',
  'slicesDeadlineMet',
  'slicesFailed',
  'accuracy',
  'macroF1',
  'costPerHour',
  'costTotal',
];

/** Keys that label a combination rather than change the system (never chart axes). */
const LABEL_KEYS = new Set(['name', 'description', 'seed', 'reference']);
const isLabelKey = (key: string) => LABEL_KEYS.has(key) || /^allow/.test(lastSegment(key));

/** Keys that take more than one value across the entries, in first-seen order (labels such as name/seed excluded). */
export function sweptKeys(entries: readonly MatrixEntry[]): string[] {
  const keys: string[] = [];
  for (const e of entries) for (const k of Object.keys(e.overrides)) if (!keys.includes(k)) keys.push(k);
  return keys.filter((k) => !isLabelKey(k) && new Set(entries.map((e) => JSON.stringify(e.overrides[k]))).size > 1);
}

function cellText(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

export async function writeMatrixCsv(file: string, entries: readonly MatrixEntry[]): Promise<void> {
  const keys: string[] = [];
  for (const e of entries) for (const k of Object.keys(e.overrides)) if (!keys.includes(k)) keys.push(k);
  const writer = new CsvWriter(file, ['id', 'folder', ...keys, ...MATRIX_KPIS, 'unaccounted']);
  for (const e of entries) {
    const k = e.result.kpis;
    await writer.write([
      e.id,
      e.folder,
      ...keys.map((key) => cellText(e.overrides[key])),
      ...MATRIX_KPIS.map((name) => (k[name] === null || !Number.isFinite(k[name] as number) ? '' : (k[name] as number))),
      e.result.reconciliation.unaccounted,
    ]);
  }
  await writer.close();
}

const numeric = (v: unknown) => (typeof v === 'number' ? v : Number(v));
const sortValues = (values: unknown[]) => [...values].sort((a, b) => (Number.isFinite(numeric(a)) && Number.isFinite(numeric(b)) ? numeric(a) - numeric(b) : String(a).localeCompare(String(b))));

interface Metric {
  title: string;
  value: (k: RunKpis) => number | null;
  format: (v: number) => string;
  higherIsBetter: boolean;
}

const METRICS: Metric[] = [
  { title: 'Throughput: events reaching Stream Analytics', value: (k) => k.eventsReachedStream, format: formatCompact, higherIsBetter: true },
  { title: 'Latency p95 (enqueue → profile)', value: (k) => k.latencyP95Ms, format: (v) => formatDuration(v), higherIsBetter: false },
  { title: 'Cost per hour', value: (k) => k.costPerHour, format: (v) => formatMoney(v), higherIsBetter: false },
];

function heatmaps(entries: readonly MatrixEntry[], tuKey: string, suKey: string, others: string[]): string {
  const groups = new Map<string, MatrixEntry[]>();
  for (const e of entries) {
    const label = others.map((k) => `${lastSegment(k)}=${cellText(e.overrides[k])}`).join(', ');
    groups.set(label, [...(groups.get(label) ?? []), e]);
  }
  let out = '';
  for (const [label, group] of groups) {
    const tus = sortValues([...new Set(group.map((e) => e.overrides[tuKey]))]);
    const sus = sortValues([...new Set(group.map((e) => e.overrides[suKey]))]);
    // Several runs of one cell (repeated measurements, different seeds) are averaged.
    const cell = (tu: unknown, su: unknown, m: Metric): number | null => {
      const values = group.filter((e) => e.overrides[tuKey] === tu && e.overrides[suKey] === su).map((e) => m.value(e.result.kpis)).filter((v): v is number => v !== null && Number.isFinite(v));
      return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
    };
    const maps = METRICS.map((m) =>
      heatmap({
        title: m.title,
        xLabels: sus.map((v) => `${cellText(v)} SU`),
        yLabels: tus.map((v) => `${cellText(v)} TU`),
        values: tus.map((tu) => sus.map((su) => cell(tu, su, m))),
        xTitle: 'Stream Analytics streaming units',
        yTitle: 'Event Hubs throughput units',
        format: m.format,
        higherIsBetter: m.higherIsBetter,
        width: 540,
        height: 60 + 52 * tus.length + 44,
      }),
    );
    out += `${label ? `<p class="note">${escapeXml(label)}</p>` : ''}<div class="grid">${maps.map((svg) => `<div class="chart">${svg}</div>`).join('')}</div>`;
  }
  return out;
}

function sweepCharts(entries: readonly MatrixEntry[], key: string): string {
  const values = sortValues([...new Set(entries.map((e) => e.overrides[key]))]);
  const ordered = values.map((v) => entries.find((e) => e.overrides[key] === v)!);
  const allNumeric = values.every((v) => Number.isFinite(numeric(v)));
  const name = lastSegment(key);
  if (!allNumeric) {
    return `<div class="grid">${METRICS.map((m) => `<div class="chart">${barChart({ title: m.title, categories: values.map(cellText), series: [{ name: '', values: ordered.map((e) => m.value(e.result.kpis)) }], yFormat: m.format })}</div>`).join('')}</div>`;
  }
  const pts = (f: (k: RunKpis) => number | null) => ordered.map((e, i) => [numeric(values[i]), f(e.result.kpis) ?? NaN] as const);
  const charts = [
    lineChart({ title: `Throughput vs ${name}`, xLabel: key, dots: true, series: [
      { name: 'accepted by Event Hubs', points: pts((k) => k.eventsAccepted) },
      { name: 'reached Stream Analytics', points: pts((k) => k.eventsReachedStream), dashed: true },
      { name: 'throttled requests (share × sent)', points: pts((k) => k.throttledRequestShare * k.eventsSent), color: '#dc2626' },
    ] }),
    lineChart({ title: `Latency vs ${name} (min)`, xLabel: key, dots: true, yFormat: formatCompact, series: [
      { name: 'p50', points: pts((k) => k.latencyP50Ms / 60_000) },
      { name: 'p95', points: pts((k) => k.latencyP95Ms / 60_000) },
      { name: 'p99', points: pts((k) => k.latencyP99Ms / 60_000) },
    ] }),
    lineChart({ title: `Cost per hour vs ${name}`, xLabel: key, dots: true, yFormat: (v) => formatMoney(v), series: [{ name: 'cost per hour', points: pts((k) => k.costPerHour), color: '#ca8a04' }] }),
    lineChart({ title: `Slices meeting their deadline vs ${name}`, xLabel: key, dots: true, series: [
      { name: 'met', points: pts((k) => k.slicesDeadlineMet), color: '#16a34a' },
      { name: 'slices', points: pts((k) => k.slices), color: '#9ca3af', dashed: true },
    ] }),
  ];
  return `<div class="grid">${charts.map((c) => `<div class="chart">${c}</div>`).join('')}</div>`;
}

export interface MatrixReportOptions {
  /** Twin vs measured rows (a scenario whose combinations name a reference table row). */
  calibration?: readonly CalibrationRow[];
}

export function renderMatrixHtml(name: string, entries: readonly MatrixEntry[], options: MatrixReportOptions = {}): string {
  const swept = sweptKeys(entries);
  const tuKey = swept.find((k) => lastSegment(k) === 'throughputUnits');
  const suKey = swept.find((k) => lastSegment(k) === 'streamingUnits');
  const sections: string[] = [];
  if (options.calibration?.length) sections.push(section('Calibration: twin vs measured', renderCalibration(options.calibration)));
  if (tuKey && suKey) sections.push(section('TU × SU', heatmaps(entries, tuKey, suKey, swept.filter((k) => k !== tuKey && k !== suKey))));
  else for (const key of swept) sections.push(section(`Sweep over ${key}`, sweepCharts(entries, key)));
  sections.push(
    section(
      'Combinations',
      `<div class="hscroll">${table(entries, [
        { title: 'combination', cell: (e) => e.id, left: true },
        ...swept.map((k) => ({ title: lastSegment(k), cell: (e: MatrixEntry) => cellText(e.overrides[k]) })),
        { title: 'sent', cell: (e) => formatNumber(e.result.kpis.eventsSent) },
        { title: 'accepted', cell: (e) => formatPercent(e.result.kpis.acceptedShare) },
        { title: 'reached ASA', cell: (e) => formatNumber(e.result.kpis.eventsReachedStream) },
        { title: 'throttled req.', cell: (e) => formatPercent(e.result.kpis.throttledRequestShare) },
        { title: 'peak backlog', cell: (e) => formatNumber(e.result.kpis.peakBacklog) },
        { title: 'latency p95', cell: (e) => formatDuration(e.result.kpis.latencyP95Ms) },
        { title: 'deadlines met', cell: (e) => `${e.result.kpis.slicesDeadlineMet}/${e.result.kpis.slices}` },
        { title: 'macro-F1', cell: (e) => formatNumber(e.result.kpis.macroF1, 3) },
        { title: 'cost/hour', cell: (e) => formatMoney(e.result.kpis.costPerHour, e.result.cost?.currency) },
        { title: 'unaccounted', cell: (e) => e.result.reconciliation.unaccounted },
      ], { rowClass: (e) => (e.result.kpis.slicesDeadlineMet < e.result.kpis.slices ? 'bad' : '') })}</div>` +
        `<p class="note">Each combination's full report is in its sub-folder (<code>&lt;combination&gt;/report.html</code>); every row is in matrix.csv.</p>`,
    ),
  );
  return page(`Customer 360 twin — ${name} (${entries.length} combinations)`, `swept: ${swept.join(', ') || 'nothing'}`, sections);
}

/**
 * Writes matrix.csv and matrix.html into `dir` (the combination sub-folders are written by the caller),
 * and calibration.csv / calibration.html when calibration rows are given.
 */
export async function writeMatrixReport(
  dir: string,
  name: string,
  entries: readonly MatrixEntry[],
  options: MatrixReportOptions = {},
): Promise<{ csv: string; html: string; calibration?: { csv: string; html: string } }> {
  await mkdir(dir, { recursive: true });
  const csv = path.join(dir, 'matrix.csv');
  const html = path.join(dir, 'matrix.html');
  await writeMatrixCsv(csv, entries);
  await writeFile(html, renderMatrixHtml(name, entries, options));
  if (!options.calibration?.length) return { csv, html };
  return { csv, html, calibration: await writeCalibration(dir, name, options.calibration) };
}
