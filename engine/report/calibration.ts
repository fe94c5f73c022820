// Calibration against measured values: the solution guide's TU × SU table (scenarios/reference/, read
// by engine/scenarios/reference.ts) set next to what the twin predicted for the same configuration.
// This is the one implementation of the calibration report: calibration.csv has exactly the columns
// tu,su,measured_batched,twin_batched,measured_reached_asa,twin_reached_asa; the same "twin vs measured"
// section is a page of its own (calibration.html) and a section of matrix.html.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CsvWriter } from '../io/csv-file.js';
import type { EpochMs } from '../ports/clock.js';
import type { RunResult } from '../ports/pipeline.js';
import { escapeXml, formatCompact, formatNumber, formatPercent } from './format.js';
import { page, section, table } from './html-page.js';
import { barChart } from './svg-charts.js';

export const CALIBRATION_COLUMNS = ['tu', 'su', 'measured_batched', 'twin_batched', 'measured_reached_asa', 'twin_reached_asa'] as const;

/** The band within which a twin value counts as reproducing the measurement. */
export const CALIBRATION_TOLERANCE = 0.15;

/**
 * The measured side of a row, as engine/scenarios/reference.ts reads it (its ReferenceRow fits this
 * shape; the report layer may not import scenarios, so the shape is named here).
 */
export interface MeasuredValues {
  row: number;
  measuredBatched: number;
  measuredReachedAsa: number;
  note: string;
}

export interface CalibrationRow {
  id: string;
  /** The reference table's row number. */
  row: number;
  tu: number;
  su: number;
  measuredBatched: number;
  twinBatched: number;
  measuredReachedAsa: number;
  twinReachedAsa: number;
  note: string;
}

/** Events the stream job read before `until` (the guide counted what reached ASA within the session's slice). */
export function reachedStreamBefore(result: RunResult, until: EpochMs): number {
  let n = 0;
  for (const row of result.series.rows(1)) if (row.time < until) n += row.values.InputEvents ?? 0;
  return n;
}

/**
 * Twin values: events Event Hubs accepted ("batched" in the guide) and events that reached Stream
 * Analytics — all of them, or with `reachedBefore` only those read before that time (the end of the
 * session's slice, which is what the guide measured).
 */
export function calibrationRow(id: string, reference: MeasuredValues, result: RunResult, options: { reachedBefore?: EpochMs } = {}): CalibrationRow {
  return {
    id,
    row: reference.row,
    tu: result.scenario.eventHubs.throughputUnits,
    su: result.scenario.streamAnalytics.streamingUnits,
    measuredBatched: reference.measuredBatched,
    twinBatched: result.kpis.eventsAccepted,
    measuredReachedAsa: reference.measuredReachedAsa,
    twinReachedAsa: options.reachedBefore === undefined ? result.kpis.eventsReachedStream : reachedStreamBefore(result, options.reachedBefore),
    note: reference.note,
  };
}

/** (twin − measured) / measured. */
export function deviation(measured: number, twin: number): number {
  return measured === 0 ? (twin === 0 ? 0 : Infinity) : (twin - measured) / measured;
}

export function withinTolerance(row: CalibrationRow, tolerance = CALIBRATION_TOLERANCE): boolean {
  // The epsilon keeps a deviation of exactly the band (e.g. 115 vs 100) inside despite float rounding.
  const within = (d: number) => Math.abs(d) <= tolerance + 1e-12;
  return within(deviation(row.measuredBatched, row.twinBatched)) && within(deviation(row.measuredReachedAsa, row.twinReachedAsa));
}

export async function writeCalibrationCsv(file: string, rows: readonly CalibrationRow[]): Promise<void> {
  const writer = new CsvWriter(file, CALIBRATION_COLUMNS);
  for (const r of rows) await writer.write([r.tu, r.su, r.measuredBatched, r.twinBatched, r.measuredReachedAsa, r.twinReachedAsa]);
  await writer.close();
}

/** The "twin vs measured" body: two charts (batched, reached ASA), the rows with deviations, a summary. */
export function renderCalibration(rows: readonly CalibrationRow[]): string {
  const categories = rows.map((r) => `${r.tu} TU / ${formatCompact(r.su)} SU (row ${r.row})`);
  const chart = (title: string, measured: number[], twin: number[]) =>
    `<div class="chart">${barChart({ title, categories, series: [{ name: 'measured (guide)', values: measured, color: '#93c5fd' }, { name: 'twin', values: twin, color: '#2563eb' }] })}</div>`;
  const charts =
    `<div class="grid">` +
    chart('Messages batched into Event Hubs', rows.map((r) => r.measuredBatched), rows.map((r) => r.twinBatched)) +
    chart('Messages reaching Stream Analytics within the slice', rows.map((r) => r.measuredReachedAsa), rows.map((r) => r.twinReachedAsa)) +
    `</div>`;
  const pct = (m: number, t: number) => {
    const d = deviation(m, t);
    return `${d >= 0 ? '+' : ''}${formatPercent(d)}`;
  };
  const band = `±${formatPercent(CALIBRATION_TOLERANCE, 0)}`;
  const rowsTable = table(rows, [
    { title: 'run', cell: (r) => r.id, left: true },
    { title: 'TU', cell: (r) => r.tu },
    { title: 'SU', cell: (r) => formatCompact(r.su) },
    { title: 'batched (measured)', cell: (r) => formatNumber(r.measuredBatched) },
    { title: 'batched (twin)', cell: (r) => formatNumber(r.twinBatched) },
    { title: 'Δ', cell: (r) => pct(r.measuredBatched, r.twinBatched) },
    { title: 'reached ASA (measured)', cell: (r) => formatNumber(r.measuredReachedAsa) },
    { title: 'reached ASA (twin)', cell: (r) => formatNumber(r.twinReachedAsa) },
    { title: 'Δ', cell: (r) => pct(r.measuredReachedAsa, r.twinReachedAsa) },
    { title: `within ${band}`, cell: (r) => (withinTolerance(r) ? 'yes' : 'NO') },
    { title: 'reference', cell: (r) => r.note, left: true },
  ], { rowClass: (r) => (withinTolerance(r) ? '' : 'bad') });
  const met = rows.filter((r) => withinTolerance(r)).length;
  return (
    `${charts}<div class="hscroll" style="margin-top:10px">${rowsTable}</div>` +
    `<p class="note">${escapeXml(`${met} of ${rows.length} rows within ${band} of the measured values (calibration.csv). Measured: the solution guide's scaling table (scenarios/reference). Twin: messages the Event Hubs model accepted, and events the Stream Analytics job read (before the end of the session's 15-minute slice for scenario runs). Rows outside the band are highlighted. The calibration constants are explained in docs/calibration.md.`)}</p>`
  );
}

/** calibration.html: the twin-vs-measured section as a page of its own. */
export function renderCalibrationHtml(name: string, rows: readonly CalibrationRow[]): string {
  const met = rows.filter((r) => withinTolerance(r)).length;
  return page(
    `Customer 360 twin — ${name}: twin vs measured`,
    `${met} of ${rows.length} rows within ±${formatPercent(CALIBRATION_TOLERANCE, 0)} of the guide's measurements`,
    [section('Twin vs measured', renderCalibration(rows))],
  );
}

/** Writes calibration.csv and calibration.html into `dir`. */
export async function writeCalibration(dir: string, name: string, rows: readonly CalibrationRow[]): Promise<{ csv: string; html: string }> {
  const csv = path.join(dir, 'calibration.csv');
  const html = path.join(dir, 'calibration.html');
  await writeCalibrationCsv(csv, rows);
  await writeFile(html, renderCalibrationHtml(name, rows));
  return { csv, html };
}
