// The Enriched_Customer_Profile columns (DESIGN §1): the customer profile columns in the original
// table's order (data/customer360-original/customer_profile_label.csv), then the predicted label and
// the four class probabilities.
import type { EnrichedProfileRow } from '../ports/storage.js';

export const PROFILE_COLUMNS = [
  'customerID',
  'age',
  'Gender',
  'Income',
  'HeadofHousehold',
  'number_household',
  'months_residence',
  'T1count_30d',
  'T2count_30d',
  'T3count_30d',
  'T1spend_30d',
  'T2spend_30d',
  'T3spend_30d',
  'T1count_10d',
  'T2count_10d',
  'T3count_10d',
  'T1spend_10d',
  'T2spend_10d',
  'T3spend_10d',
  'T1count_3d',
  'T2count_3d',
  'T3count_3d',
  'T1spend_3d',
  'T2spend_3d',
  'T3spend_3d',
  'r_60d',
  'f_60d',
  'T1_m_60d',
  'T2_m_60d',
  'T3_m_60d',
] as const;

export const PREDICTION_COLUMNS = ['label', 'prob_categoryT0', 'prob_categoryT1', 'prob_categoryT2', 'prob_categoryT3'] as const;

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
