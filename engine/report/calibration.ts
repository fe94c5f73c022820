// Calibration against measured values: the solution guide's TU × SU table (scenarios/reference/), read
// as data, set next to what the twin predicted for the same configuration. calibration.csv has exactly
// the columns tu,su,measured_batched,twin_batched,measured_reached_asa,twin_reached_asa; the matrix
// report shows the two side by side with the relative deviation and the ±15 % band.
import { UserError } from '../core/errors.js';
import { CsvWriter, readCsv } from '../io/csv-file.js';
import type { RunResult } from '../ports/pipeline.js';
import { escapeXml, formatCompact, formatNumber, formatPercent } from './format.js';
import { table } from './html-page.js';
import { barChart } from './svg-charts.js';

export const CALIBRATION_COLUMNS = ['tu', 'su', 'measured_batched', 'twin_batched', 'measured_reached_asa', 'twin_reached_asa'] as const;

/** The band within which a twin value counts as reproducing the measurement. */
export const CALIBRATION_TOLERANCE = 0.15;

export interface ReferenceRow {
  row: number;
  tu: number;
  su: number;
  measuredBatched: number;
  measuredReachedAsa: number;
  note: string;
}

/** Reads a measured table (header: row,tu,su,measured_batched,measured_reached_asa[,note]). */
export async function readReferenceTable(file: string): Promise<Map<number, ReferenceRow>> {
  const rows = new Map<number, ReferenceRow>();
  for await (const r of readCsv(file, { required: ['row', 'tu', 'su', 'measured_batched', 'measured_reached_asa'] })) {
    const num = (field: string) => {
      const v = Number(r.values[field]);
      if (r.values[field] === '' || !Number.isFinite(v)) throw new UserError(`expected a number, got "${r.values[field]}"`, { file, line: r.line, field });
      return v;
    };
    const row = num('row');
    if (rows.has(row)) throw new UserError(`row ${row} appears twice`, { file, line: r.line, field: 'row' });
    rows.set(row, { row, tu: num('tu'), su: num('su'), measuredBatched: num('measured_batched'), measuredReachedAsa: num('measured_reached_asa'), note: r.values.note ?? '' });
  }
  return rows;
}

export interface CalibrationRow {
  id: string;
  tu: number;
  su: number;
  measuredBatched: number;
  twinBatched: number;
  measuredReachedAsa: number;
  twinReachedAsa: number;
  note: string;
}

/** Twin values: events Event Hubs accepted ("batched" in the guide) and events that reached Stream Analytics. */
export function calibrationRow(id: string, reference: ReferenceRow, result: RunResult): CalibrationRow {
  return {
    id,
    tu: result.scenario.eventHubs.throughputUnits,
    su: result.scenario.streamAnalytics.streamingUnits,
    measuredBatched: reference.measuredBatched,
    twinBatched: result.kpis.eventsAccepted,
    measuredReachedAsa: reference.measuredReachedAsa,
    twinReachedAsa: result.kpis.eventsReachedStream,
    note: reference.note,
  };
}

/** (twin − measured) / measured. */
export function deviation(measured: number, twin: number): number {
  return measured === 0 ? (twin === 0 ? 0 : Infinity) : (twin - measured) / measured;
}

export function withinTolerance(row: CalibrationRow, tolerance = CALIBRATION_TOLERANCE): boolean {
  return Math.abs(deviation(row.measuredBatched, row.twinBatched)) <= tolerance && Math.abs(deviation(row.measuredReachedAsa, row.twinReachedAsa)) <= tolerance;
}

export async function writeCalibrationCsv(file: string, rows: readonly CalibrationRow[]): Promise<void> {
  const writer = new CsvWriter(file, CALIBRATION_COLUMNS);
  for (const r of rows) await writer.write([r.tu, r.su, r.measuredBatched, r.twinBatched, r.measuredReachedAsa, r.twinReachedAsa]);
  await writer.close();
}

/** The "twin vs measured" section of the matrix report. */
export function renderCalibration(rows: readonly CalibrationRow[]): string {
  const labels = rows.map((r) => `${r.tu} TU / ${formatCompact(r.su)} SU`);
  const chart = barChart({
    title: 'Twin vs measured (events per 15-minute slice)',
    categories: labels,
    width: 1150,
    height: 300,
    series: [
      { name: 'measured: batched', values: rows.map((r) => r.measuredBatched), color: '#93c5fd' },
      { name: 'twin: batched', values: rows.map((r) => r.twinBatched), color: '#2563eb' },
      { name: 'measured: reached ASA', values: rows.map((r) => r.measuredReachedAsa), color: '#86efac' },
      { name: 'twin: reached ASA', values: rows.map((r) => r.twinReachedAsa), color: '#16a34a' },
    ],
  });
  const pct = (m: number, t: number) => {
    const d = deviation(m, t);
    return `${d >= 0 ? '+' : ''}${formatPercent(d)}`;
  };
  const rowsTable = table(rows, [
    { title: 'run', cell: (r) => r.id, left: true },
    { title: 'TU', cell: (r) => r.tu },
    { title: 'SU', cell: (r) => formatCompact(r.su) },
    { title: 'measured batched', cell: (r) => formatNumber(r.measuredBatched) },
    { title: 'twin batched', cell: (r) => formatNumber(r.twinBatched) },
    { title: 'deviation', cell: (r) => pct(r.measuredBatched, r.twinBatched) },
    { title: 'measured reached ASA', cell: (r) => formatNumber(r.measuredReachedAsa) },
    { title: 'twin reached ASA', cell: (r) => formatNumber(r.twinReachedAsa) },
    { title: 'deviation', cell: (r) => pct(r.measuredReachedAsa, r.twinReachedAsa) },
    { title: `within ±${formatPercent(CALIBRATION_TOLERANCE, 0)}`, cell: (r) => (withinTolerance(r) ? 'yes' : 'NO') },
    { title: 'reference', cell: (r) => r.note, left: true },
  ], { rowClass: (r) => (withinTolerance(r) ? '' : 'bad') });
  const met = rows.filter((r) => withinTolerance(r)).length;
  return `<div class="chart">${chart}</div><div class="hscroll" style="margin-top:10px">${rowsTable}</div><p class="note">${escapeXml(`${met} of ${rows.length} rows within ±${formatPercent(CALIBRATION_TOLERANCE, 0)} of the measured values (calibration.csv).`)}</p>`;
}
