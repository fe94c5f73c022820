// Twin vs measured: for every run of a scenario that names a `reference` row (the guide's scaling
// table), the measured "batched into Event Hubs" and "reached Stream Analytics" next to the twin's,
// written as calibration.csv (the contract columns) and calibration.html (side by side, with the
// deviation of each row and the ±15 % band).
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CsvWriter } from '../io/csv-file.js';
import type { RunResult } from '../ports/pipeline.js';
import { escapeXml, formatNumber, formatPercent } from '../report/format.js';
import { page, section, table } from '../report/html-page.js';
import { barChart } from '../report/svg-charts.js';

export const CALIBRATION_COLUMNS = ['tu', 'su', 'measured_batched', 'twin_batched', 'measured_reached_asa', 'twin_reached_asa'] as const;
/** The acceptance band of the issue: every row within ±15 % of the measured value. */
export const CALIBRATION_TOLERANCE = 0.15;

export interface MeasuredRow {
  row: number;
  tu: number;
  su: number;
  batched: number;
  reachedAsa: number;
  note: string;
}

export interface CalibrationRow {
  id: string;
  measured: MeasuredRow;
  twinBatched: number;
  twinReachedAsa: number;
}

/** Events the stream job read before `until` (the guide counted what reached ASA within the session's slice). */
export function reachedStreamBefore(result: RunResult, until: number): number {
  let n = 0;
  for (const row of result.series.rows(1)) if (row.time < until) n += row.values.InputEvents ?? 0;
  return n;
}

export function deviation(twin: number, measured: number): number {
  return measured === 0 ? (twin === 0 ? 0 : Infinity) : (twin - measured) / measured;
}

export async function writeCalibration(dir: string, name: string, rows: readonly CalibrationRow[]): Promise<{ csv: string; html: string }> {
  const csv = path.join(dir, 'calibration.csv');
  const html = path.join(dir, 'calibration.html');
  const w = new CsvWriter(csv, CALIBRATION_COLUMNS);
  for (const r of rows) await w.write([r.measured.tu, r.measured.su, r.measured.batched, r.twinBatched, r.measured.reachedAsa, r.twinReachedAsa]);
  await w.close();
  await writeFile(html, renderCalibrationHtml(name, rows));
  return { csv, html };
}

function within(d: number): boolean {
  return Math.abs(d) <= CALIBRATION_TOLERANCE + 1e-12;
}

export function renderCalibrationHtml(name: string, rows: readonly CalibrationRow[]): string {
  const categories = rows.map((r) => `${r.measured.tu} TU / ${r.measured.su} SU (row ${r.measured.row})`);
  const chart = (title: string, measured: number[], twin: number[]) =>
    `<div class="chart">${barChart({ title, categories, series: [{ name: 'measured (guide)', values: measured }, { name: 'twin', values: twin }] })}</div>`;
  const charts =
    `<div class="grid">` +
    chart('Messages batched into Event Hubs', rows.map((r) => r.measured.batched), rows.map((r) => r.twinBatched)) +
    chart('Messages reaching Stream Analytics within the slice', rows.map((r) => r.measured.reachedAsa), rows.map((r) => r.twinReachedAsa)) +
    `</div>`;
  const dev = (t: number, m: number) => {
    const d = deviation(t, m);
    return `${d >= 0 ? '+' : ''}${formatPercent(d)}`;
  };
  const tbl = table(
    rows,
    [
      { title: 'run', cell: (r) => r.id, left: true },
      { title: 'TU', cell: (r) => r.measured.tu },
      { title: 'SU', cell: (r) => r.measured.su },
      { title: 'batched (measured)', cell: (r) => formatNumber(r.measured.batched) },
      { title: 'batched (twin)', cell: (r) => formatNumber(r.twinBatched) },
      { title: 'Δ', cell: (r) => dev(r.twinBatched, r.measured.batched) },
      { title: 'reached ASA (measured)', cell: (r) => formatNumber(r.measured.reachedAsa) },
      { title: 'reached ASA (twin)', cell: (r) => formatNumber(r.twinReachedAsa) },
      { title: 'Δ', cell: (r) => dev(r.twinReachedAsa, r.measured.reachedAsa) },
      { title: 'note', cell: (r) => r.measured.note, left: true },
    ],
    { rowClass: (r) => (within(deviation(r.twinBatched, r.measured.batched)) && within(deviation(r.twinReachedAsa, r.measured.reachedAsa)) ? '' : 'bad') },
  );
  const ok = rows.filter((r) => within(deviation(r.twinBatched, r.measured.batched)) && within(deviation(r.twinReachedAsa, r.measured.reachedAsa))).length;
  return page(
    `Customer 360 twin — ${name}: twin vs measured`,
    `${ok} of ${rows.length} rows within ±${CALIBRATION_TOLERANCE * 100}% of the guide's measurements`,
    [
      section('Twin vs measured', charts),
      section('Rows', `<div class="hscroll">${tbl}</div><p class="note">${escapeXml('Measured: the solution guide\'s scaling table (scenarios/reference). Twin: messages the Event Hubs model accepted, and events the Stream Analytics job read before the end of the session\'s 15-minute slice. Rows outside ±15% are highlighted. The calibration constants are explained in docs/calibration.md.')}</p>`),
    ],
  );
}
