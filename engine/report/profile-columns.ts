// The Enriched_Customer_Profile columns (DESIGN §1): the customer profile columns in the original
// table's order (data/customer360-original/customer_profile_label.csv), then the predicted label and
// the four class probabilities. The column names themselves live in engine/core/profile-columns.ts.
import { LABEL_COLUMN, PROBABILITY_COLUMNS, PROFILE_COLUMNS } from '../core/profile-columns.js';
import type { EnrichedProfileRow } from '../ports/storage.js';

export { PROFILE_COLUMNS };
export const PREDICTION_COLUMNS = [LABEL_COLUMN, ...PROBABILITY_COLUMNS] as const;

/**
 * The columns of an enriched profile table: the known profile columns the rows have, in the original
 * order, then any other feature columns in the order first seen (a ground-truth `label` among the
 * features is kept as `label_actual`, as `c360 score` does), then the predictions.
 */
export function enrichedColumns(rows: readonly EnrichedProfileRow[]): { features: string[]; header: string[] } {
  const seen = new Set<string>();
  for (const row of rows.slice(0, 100)) for (const key of Object.keys(row.features)) seen.add(key);
  const known = PROFILE_COLUMNS.filter((c) => c === 'customerID' || seen.has(c));
  const extra = [...seen].filter((c) => !(PROFILE_COLUMNS as readonly string[]).includes(c));
  const features = [...known, ...extra];
  const header = [...features.map((c) => (c === 'label' ? 'label_actual' : c)), ...PREDICTION_COLUMNS];
  return { features, header };
}

/** One enriched profile as CSV cells, in `enrichedColumns` order. Probabilities keep 6 decimals. */
export function enrichedCells(row: EnrichedProfileRow, features: readonly string[]): (string | number)[] {
  const cells: (string | number)[] = features.map((c) => (c === 'customerID' ? row.customerID : (row.features[c] ?? '')));
  cells.push(row.label, ...row.probabilities.map((p) => Number(p.toFixed(6))));
  return cells;
}
