// Measured reference values a scenario run is compared with (scenarios/reference/*.csv). A run's
// `reference: { table, row }` names one data row; calibration reads it to put the twin's prediction
// next to the measurement. This is the one reader of those tables (the report layer takes the rows it returns).
import { readCsv } from '../io/csv-file.js';
import { UserError } from '../core/errors.js';
import type { LoadedScenario, ScenarioRun } from './loader.js';

export interface ReferenceRow {
  table: string;
  row: number;
  tu: number;
  su: number;
  measuredBatched: number;
  measuredReachedAsa: number;
  note: string;
}

const REQUIRED = ['row', 'tu', 'su', 'measured_batched', 'measured_reached_asa'];

/**
 * Reads a whole measured table (header: row,tu,su,measured_batched,measured_reached_asa[,note]), keyed
 * by its row number. Every number must parse and a row number may appear once: the table is small and
 * hand-edited, so a typo is an error naming file, line and column rather than a silently skipped row.
 */
export async function readReferenceTable(table: string): Promise<Map<number, ReferenceRow>> {
  const rows = new Map<number, ReferenceRow>();
  for await (const record of readCsv(table, { required: REQUIRED })) {
    const num = (column: string) => {
      const text = record.values[column];
      const v = Number(text);
      if (text === '' || !Number.isFinite(v)) throw new UserError(`"${text}" is not a number`, { file: table, line: record.line, field: column });
      return v;
    };
    const row = num('row');
    if (rows.has(row)) throw new UserError(`row ${row} appears twice`, { file: table, line: record.line, field: 'row' });
    rows.set(row, {
      table,
      row,
      tu: num('tu'),
      su: num('su'),
      measuredBatched: num('measured_batched'),
      measuredReachedAsa: num('measured_reached_asa'),
      note: record.values.note ?? '',
    });
  }
  return rows;
}

/** Reads one row of a reference table; the row must exist and the table's numbers must parse. */
export async function readReferenceRow(table: string, row: number): Promise<ReferenceRow> {
  const found = (await readReferenceTable(table)).get(row);
  if (!found) throw new UserError(`no row ${row} in the reference table`, { file: table, field: 'row' });
  return found;
}

/**
 * The reference row of a run, or undefined if it has none. It also checks that the row describes the
 * same capacity as the run (TU and SU), so a table edit cannot silently pair a run with another row.
 */
export async function referenceForRun(loaded: LoadedScenario, run: ScenarioRun): Promise<ReferenceRow | undefined> {
  const ref = run.scenario.reference;
  if (!ref) return undefined;
  const file = loaded.resolvePath(ref.table, 'reference.table');
  const row = await readReferenceRow(file, ref.row);
  const { throughputUnits } = run.scenario.eventHubs;
  const su = run.scenario.streamAnalytics.streamingUnits;
  if (row.tu !== throughputUnits || row.su !== su)
    throw new UserError(
      `run ${run.id} (${throughputUnits} TU, ${su} SU) points at reference row ${ref.row}, which was measured at ${row.tu} TU, ${row.su} SU`,
      { file: loaded.file, field: 'reference.row' },
    );
  return row;
}
